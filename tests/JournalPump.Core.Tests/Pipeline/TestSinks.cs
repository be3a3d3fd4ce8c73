using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using JournalPump.Core.Metrics;
using JournalPump.Core.Pipeline;

namespace JournalPump.Core.Tests.Pipeline;

/// <summary>
/// An in-process sink for pipeline tests: it keeps every record it accepts, in order, and its behaviour
/// per call is a script (deliver, fail, reject, wait for the test). Each call is announced, so tests wait
/// on calls rather than on time.
/// </summary>
internal sealed class ScriptedSink : IJournalSink
{
    private readonly Func<int, JournalBatch, CancellationToken, ValueTask<SendResult>> _script;
    private readonly List<string> _accepted = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private readonly Lock _lock = new();
    private int _calls;

    public ScriptedSink(string name, Func<int, JournalBatch, CancellationToken, ValueTask<SendResult>>? script = null)
    {
        Name = name;
        _script = script ?? ((_, _, _) => ValueTask.FromResult(SendResult.Delivered));
    }

    public string Name { get; }

    /// <summary>One item per SendAsync call, written before the script runs.</summary>
    public Channel<int> Calls { get; } = Channel.CreateBounded<int>(new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest });

    public IReadOnlyList<string> Accepted
    {
        get
        {
            lock (_lock)
            {
                return [.. _accepted];
            }
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> records have been accepted.</summary>
    public Task WaitForAcceptedAsync(int count, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_accepted.Count >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    public bool Disposed { get; private set; }

    public int Flushes { get; private set; }

    public async ValueTask<SendResult> SendAsync(JournalBatch batch, CancellationToken cancellationToken)
    {
        int call = Interlocked.Increment(ref _calls) - 1;
        Calls.Writer.TryWrite(call);
        var result = await _script(call, batch, cancellationToken);
        lock (_lock)
        {
            for (int i = 0; i < batch.Count; i++)
            {
                bool accepted = result.Status switch
                {
                    SendStatus.Delivered => true,
                    SendStatus.Partial => result.Items![i] == ItemStatus.Delivered,
                    _ => false,
                };
                if (accepted)
                {
                    _accepted.Add(Encoding.UTF8.GetString(batch.Records[i].Span));
                }
            }

            _waiters.RemoveAll(w =>
            {
                if (_accepted.Count < w.Count)
                {
                    return false;
                }

                w.Done.TrySetResult();
                return true;
            });
        }

        return result;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Flushes++;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

/// <summary>Keeps every metric as its statsd-like text, for assertions.</summary>
internal sealed class RecordingMetrics : IPumpMetrics
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public void Increment(string name, IReadOnlyList<MetricTag> tags, long value = 1) => _lines.Enqueue(Text(name, tags, value.ToString(System.Globalization.CultureInfo.InvariantCulture), "c"));

    public void Gauge(string name, long value, IReadOnlyList<MetricTag> tags) => _lines.Enqueue(Text(name, tags, value.ToString(System.Globalization.CultureInfo.InvariantCulture), "g"));

    public void Gauge(string name, double value, IReadOnlyList<MetricTag> tags) => _lines.Enqueue(Text(name, tags, "*", "g"));

    private static string Text(string name, IReadOnlyList<MetricTag> tags, string value, string type) =>
        name + string.Concat(tags.Select(t => "," + t.Name + "=" + t.Value)) + ":" + value + "|" + type;
}
