using JournalPump.Core.Metrics;

namespace JournalPump.Core.Filtering;

/// <summary>One entry of a reader's <c>searches</c> list (spec 5.2).</summary>
public sealed class SearchOptions
{
    /// <summary>The search's name (<c>name</c>, required): also the name of the statsd counter it emits.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Raw journal field name (<c>_SYSTEMD_UNIT</c>, <c>MESSAGE</c>, <c>PRIORITY</c>) to Python regex
    /// (<c>fields</c>). All must match; an empty map matches every entry.
    /// </summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Static metric tags (<c>tags</c>), in config order, added over the captured named groups. A value with
    /// <c>(</c> or <c>)</c> must be a tag function call: <c>ip_to_geohash(&lt;captured tag&gt;[,&lt;precision&gt;])</c>.
    /// </summary>
    public IReadOnlyList<MetricTag> Tags { get; init; } = [];
}

/// <summary>How a reader's <see cref="SearchFilter"/> compiles, times and reports its searches.</summary>
public sealed class SearchFilterSettings
{
    /// <summary>Engine and match timeout of the search regexes.</summary>
    public PythonRegexOptions Regex { get; init; } = PythonRegexOptions.Default;

    /// <summary>
    /// A single regex evaluation slower than this emits <c>journal.perform_search_regex_duration</c>
    /// (<c>threshold_for_metric_emit</c>, whole seconds upstream; default 10 s).
    /// </summary>
    public TimeSpan ThresholdForMetricEmit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The reader's metric tags (pump <c>tags</c> then <c>reader</c>), in dictionary order.</summary>
    public IReadOnlyList<MetricTag> ReaderTags { get; init; } = [];

    /// <summary>Locates IP addresses for <c>ip_to_geohash()</c> tags (<c>geoip_database</c>); required when a search uses it.</summary>
    public IGeoIpLocator? GeoIp { get; init; }
}

/// <summary>Finds where an IP address is, for the <c>ip_to_geohash()</c> search tag function.</summary>
public interface IGeoIpLocator
{
    /// <summary>Looks an IP address up.</summary>
    /// <param name="ipAddress">The address as captured by the search.</param>
    /// <param name="latitude">The latitude in degrees.</param>
    /// <param name="longitude">The longitude in degrees.</param>
    /// <returns><see langword="false"/> when the database has no record.</returns>
    bool TryLocate(string ipAddress, out double latitude, out double longitude);
}
