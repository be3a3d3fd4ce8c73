namespace JournalPump.Core.Metrics;

/// <summary>Where and how <see cref="StatsdMetrics"/> sends (journalpump's <c>statsd</c> config object).</summary>
public sealed class StatsdMetricsOptions
{
    /// <summary>The statsd host (<c>statsd.host</c>).</summary>
    public required string Host { get; init; }

    /// <summary>The UDP port (<c>statsd.port</c>).</summary>
    public required int Port { get; init; }

    /// <summary>Prepended to every metric name (<c>statsd.prefix</c>), for example <c>"jp."</c>.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>Tags added to every metric (<c>statsd.tags</c>), in config order; a metric's own tag of the same name wins.</summary>
    public IReadOnlyList<MetricTag> Tags { get; init; } = [];
}
