namespace JournalPump.Core.Metrics;

/// <summary>
/// Where the pipeline reports its metrics (journalpump's catalogue: <c>journal.read_lines</c>,
/// <c>journal.status</c>, search counters...). Tags are given in journalpump's dictionary order:
/// pump tags, then <c>reader</c>, <c>sender</c>, then metric-specific tags.
/// Implementations must be thread-safe and must not block.
/// </summary>
public interface IPumpMetrics
{
    /// <summary>Adds to a counter (<c>|c</c>).</summary>
    /// <param name="name">The metric name, without prefix.</param>
    /// <param name="tags">The tags, in dictionary order.</param>
    /// <param name="value">The amount.</param>
    void Increment(string name, IReadOnlyList<MetricTag> tags, long value = 1);

    /// <summary>Sets an integer gauge (<c>|g</c>).</summary>
    /// <param name="name">The metric name, without prefix.</param>
    /// <param name="value">The value.</param>
    /// <param name="tags">The tags, in dictionary order.</param>
    void Gauge(string name, long value, IReadOnlyList<MetricTag> tags);

    /// <summary>Sets a floating-point gauge (<c>|g</c>).</summary>
    /// <param name="name">The metric name, without prefix.</param>
    /// <param name="value">The value.</param>
    /// <param name="tags">The tags, in dictionary order.</param>
    void Gauge(string name, double value, IReadOnlyList<MetricTag> tags);
}

/// <summary>Discards every metric.</summary>
public sealed class NullPumpMetrics : IPumpMetrics
{
    /// <summary>The instance.</summary>
    public static NullPumpMetrics Instance { get; } = new();

    private NullPumpMetrics()
    {
    }

    /// <inheritdoc/>
    public void Increment(string name, IReadOnlyList<MetricTag> tags, long value = 1)
    {
    }

    /// <inheritdoc/>
    public void Gauge(string name, long value, IReadOnlyList<MetricTag> tags)
    {
    }

    /// <inheritdoc/>
    public void Gauge(string name, double value, IReadOnlyList<MetricTag> tags)
    {
    }
}
