using System.Text;
using JournalPump.Core.Pipeline;
using JournalPump.Host.FileOutput;
using JournalPump.Testing.Sinks;

namespace JournalPump.Host.Tests.FileOutput;

/// <summary>
/// The sink contract against the real file system: the peer is <c>out.log</c> in a directory of its own inside a
/// fresh temporary directory; read back, it is the file's lines. "Broken" is the output's directory renamed away:
/// opening the path fails (ENOENT), and a file already open is let go of because its path no longer exists, so
/// nothing can be written until the directory is renamed back.
/// </summary>
// Tests run in parallel; the base class keeps the log, this class the directory: one fixture instance per test.
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
internal sealed class FileSinkContractTests : SinkContractTests<FileSink>
{
    private string? _root;

    private string Root => _root ?? throw new InvalidOperationException("no sink was created");

    private string OutputDirectory => Path.Combine(Root, "output");

    private string AwayDirectory => Path.Combine(Root, "output.away");

    private string OutputPath => Path.Combine(OutputDirectory, "out.log");

    [TearDown]
    public void DeleteDirectory()
    {
        if (_root is not null && Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    protected override ValueTask<FileSink> CreateSinkAsync(ListLogger logger, CancellationToken cancellationToken)
    {
        _root = Directory.CreateTempSubdirectory("filesink-contract-").FullName;
        Directory.CreateDirectory(OutputDirectory);
        return ValueTask.FromResult(new FileSink("file", new FileSinkOptions { Path = OutputPath }, logger));
    }

    protected override async Task<IReadOnlyList<byte[]>> ReadBackAsync(int count, CancellationToken cancellationToken)
    {
        // A delivered batch is in the file when SendAsync returns: there is nothing to wait for.
        byte[] content = await File.ReadAllBytesAsync(OutputPath, cancellationToken);
        var lines = new List<byte[]>();
        int start = 0;
        while (start < content.Length)
        {
            int newline = Array.IndexOf(content, (byte)'\n', start);
            Assert.That(newline, Is.GreaterThanOrEqualTo(0), "the file ends in an unfinished line");
            lines.Add(content[start..newline]);
            start = newline + 1;
        }

        return lines;
    }

    protected override Task BreakPeerAsync(CancellationToken cancellationToken)
    {
        Directory.Move(OutputDirectory, AwayDirectory);
        return Task.CompletedTask;
    }

    protected override Task RepairPeerAsync(CancellationToken cancellationToken)
    {
        Directory.Move(AwayDirectory, OutputDirectory);
        return Task.CompletedTask;
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_peer_broken_while_the_file_is_open_is_transient_and_the_file_is_continued_once_repaired(CancellationToken cancellationToken)
    {
        // The base tests break the peer before the first batch, when nothing is open yet; here the file is open,
        // and an open descriptor would keep writing into the renamed directory if the sink did not notice.
        var before = Records(50, "before");
        var during = Records(50, "during");
        await using var sink = await CreateSinkAsync(Logger, cancellationToken);
        var first = await sink.SendAsync(JournalBatch.Create(before), cancellationToken);
        await BreakPeerAsync(cancellationToken);
        SendResult broken;
        try
        {
            broken = await sink.SendAsync(JournalBatch.Create(during), cancellationToken);
        }
        finally
        {
            await RepairPeerAsync(cancellationToken);
        }

        var repaired = await sink.SendAsync(JournalBatch.Create(during), cancellationToken);
        var received = (await ReadBackAsync(before.Count + during.Count, cancellationToken)).Select(Encoding.UTF8.GetString);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Status, Is.EqualTo(SendStatus.Delivered));
            Assert.That(broken.Status, Is.EqualTo(SendStatus.Transient));
            Assert.That(broken.Reason, Does.Contain(OutputPath));
            Assert.That(repaired.Status, Is.EqualTo(SendStatus.Delivered));
            Assert.That(received, Is.EqualTo(before.Concat(during).Select(r => Encoding.UTF8.GetString(r.Span))));
            Assert.That(Logger.Count(HostLog.Ids.FileSinkReopening), Is.EqualTo(1));
        }
    }
}
