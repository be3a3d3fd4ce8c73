using System.Text;
using JournalPump.Core.Pipeline;
using NUnit.Framework;

namespace JournalPump.Testing.Sinks;

/// <summary>
/// What every <see cref="IJournalSink"/> must do, run against its real peer: each sink's test project derives a sealed
/// fixture that supplies the sink, the peer, a way to read back what the peer holds, and a way to break the peer.
/// Records are bodies byte for byte; "delivered" is what the peer accepted; faults are transient and keep the records;
/// cancellation is honoured; disposing does not lose what was acknowledged; no secret reaches the log.
/// </summary>
/// <typeparam name="TSink">The sink.</typeparam>
public abstract class SinkContractTests<TSink>
    where TSink : IJournalSink
{
    /// <summary>The sink's log, for the secret check and for diagnostics.</summary>
    protected ListLogger Logger { get; private set; } = new();

    /// <summary>A value of the sink's configuration that must never be logged (a password, a key), or null.</summary>
    protected virtual string? Secret => null;

    /// <summary>Creates a sink for one test, logging to <paramref name="logger"/>, aimed at a peer whose contents are new to the test.</summary>
    protected abstract ValueTask<TSink> CreateSinkAsync(ListLogger logger, CancellationToken cancellationToken);

    /// <summary>The bodies the peer holds from the sink created for this test, in the peer's order, once there are at least <paramref name="count"/>.</summary>
    protected abstract Task<IReadOnlyList<byte[]>> ReadBackAsync(int count, CancellationToken cancellationToken);

    /// <summary>Makes the peer fail every request (down, unreachable, refusing) until <see cref="RepairPeerAsync"/>.</summary>
    protected abstract Task BreakPeerAsync(CancellationToken cancellationToken);

    /// <summary>Undoes <see cref="BreakPeerAsync"/>.</summary>
    protected abstract Task RepairPeerAsync(CancellationToken cancellationToken);

    /// <summary>Records shaped like journalpump's: JSON with escapes, numbers, a long value; <paramref name="tag"/> makes them unique per call.</summary>
    protected static IReadOnlyList<ReadOnlyMemory<byte>> Records(int count, string tag) =>
        [.. Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(
            $$"""{"MESSAGE": "{{tag}} record {{i}} \"quoted\" \\ \u00e9 {{new string('x', i % 300)}}", "PRIORITY": {{i % 8}}, "_PID": {{1000 + i}}, "timestamp": "2023-11-14T22:13:20.{{i % 1000000:D6}}"}"""))];

    [SetUp]
    public void ResetLog() => Logger = new ListLogger();

    [TearDown]
    public void CheckSecretsStayedOutOfTheLog()
    {
        if (Secret is { Length: > 0 } secret)
        {
            Assert.That(Logger.Entries.Where(e => e.ToString().Contains(secret, StringComparison.Ordinal)), Is.Empty, "a secret reached the log");
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Records_arrive_byte_identical_and_in_order(CancellationToken cancellationToken)
    {
        var first = Records(500, "first");
        var second = Records(300, "second");
        await using var sink = await CreateSinkAsync(Logger, cancellationToken);
        var results = new[]
        {
            await sink.SendAsync(JournalBatch.Create(first), cancellationToken),
            await sink.SendAsync(JournalBatch.Create(second), cancellationToken),
        };

        var received = await ReadBackAsync(800, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.Select(r => r.Status), Is.All.EqualTo(SendStatus.Delivered));
            Assert.That(received.Select(Encoding.UTF8.GetString), Is.EqualTo(first.Concat(second).Select(r => Encoding.UTF8.GetString(r.Span))));
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_broken_peer_is_transient_and_the_same_batch_goes_through_once_repaired(CancellationToken cancellationToken)
    {
        var records = Records(200, "fault");
        await using var sink = await CreateSinkAsync(Logger, cancellationToken);
        await BreakPeerAsync(cancellationToken);
        SendResult broken;
        try
        {
            broken = await sink.SendAsync(JournalBatch.Create(records), cancellationToken);
        }
        finally
        {
            await RepairPeerAsync(cancellationToken);
        }

        var repaired = await sink.SendAsync(JournalBatch.Create(records), cancellationToken);
        var received = (await ReadBackAsync(records.Count, cancellationToken)).Select(Encoding.UTF8.GetString).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(broken.Status, Is.EqualTo(SendStatus.Transient), "a fault is not a delivery and not a rejection");
            Assert.That(broken.Reason, Is.Not.Empty);
            Assert.That(repaired.Status, Is.EqualTo(SendStatus.Delivered));

            // At least once: what the broken peer may have kept comes again, nothing is missing, order holds from the retry on.
            Assert.That(received.Distinct(), Is.EquivalentTo(records.Select(r => Encoding.UTF8.GetString(r.Span))));
            Assert.That(received.TakeLast(records.Count), Is.EqualTo(records.Select(r => Encoding.UTF8.GetString(r.Span))));
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_cancelled_send_throws_and_reports_nothing(CancellationToken cancellationToken)
    {
        await using var sink = await CreateSinkAsync(Logger, cancellationToken);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        Assert.That(async () => await sink.SendAsync(JournalBatch.Create(Records(10, "cancelled")), cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_send_stuck_on_a_broken_peer_ends_when_cancelled(CancellationToken cancellationToken)
    {
        await using var sink = await CreateSinkAsync(Logger, cancellationToken);
        await BreakPeerAsync(cancellationToken);
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var send = sink.SendAsync(JournalBatch.Create(Records(10, "stuck")), stop.Token).AsTask();
            await stop.CancelAsync();
            try
            {
                var result = await send;
                Assert.That(result.Status, Is.Not.EqualTo(SendStatus.Delivered), "the peer is down: nothing can be delivered");
            }
            catch (OperationCanceledException)
            {
                // The expected outcome for a sink that was waiting on the peer.
            }
        }
        finally
        {
            await RepairPeerAsync(cancellationToken);
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Disposing_keeps_what_was_delivered_and_may_be_repeated(CancellationToken cancellationToken)
    {
        var records = Records(100, "dispose");
        var sink = await CreateSinkAsync(Logger, cancellationToken);
        var result = await sink.SendAsync(JournalBatch.Create(records), cancellationToken);
        await sink.FlushAsync(cancellationToken);
        await sink.DisposeAsync();
        await sink.DisposeAsync();
        var received = await ReadBackAsync(records.Count, cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Status, Is.EqualTo(SendStatus.Delivered));
            Assert.That(received.Select(Encoding.UTF8.GetString), Is.EqualTo(records.Select(r => Encoding.UTF8.GetString(r.Span))));
            Assert.That(async () => await sink.SendAsync(JournalBatch.Create(records), cancellationToken), Throws.InstanceOf<ObjectDisposedException>());
        }
    }
}
