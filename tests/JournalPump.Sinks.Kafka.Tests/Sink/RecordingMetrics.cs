using System.Collections.Concurrent;
using JournalPump.Core.Metrics;

namespace JournalPump.Sinks.Kafka.Tests.Sink;

/// <summary>Keeps every counter increment, for assertions.</summary>
internal sealed class RecordingMetrics : IPumpMetrics
{
    private readonly ConcurrentQueue<(string Name, IReadOnlyList<MetricTag> Tags, long Value)> _counters = new();

    /// <summary>The sum of a counter over increments that carry <paramref name="tag"/>.</summary>
    public long Sum(string name, MetricTag tag) => _counters.Where(c => c.Name == name && c.Tags.Contains(tag)).Sum(c => c.Value);

    public void Increment(string name, IReadOnlyList<MetricTag> tags, long value = 1) => _counters.Enqueue((name, tags, value));

    public void Gauge(string name, long value, IReadOnlyList<MetricTag> tags)
    {
    }

    public void Gauge(string name, double value, IReadOnlyList<MetricTag> tags)
    {
    }
}
