using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using JournalPump.Core.Formatting;
using JournalPump.Core.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JournalPump.Core.Filtering;

/// <summary>
/// A reader's <c>searches</c> (spec 5.2): regexes per raw journal field whose hits emit statsd counters
/// tagged with the named groups they capture, and which <b>restrict forwarding</b>: when a reader has at
/// least one search, an entry that matches none is sent to no sender.
/// </summary>
/// <remarks>
/// <para>
/// Fields are raw journal names (<c>_SYSTEMD_UNIT</c>, not <c>SYSTEMD_UNIT</c>) on converted values:
/// integers match as decimal text, floats as their JSON text, non-UTF-8 bytes, null and empty values never
/// match, a repeated field matches when any value does (the first such value gives the groups). Inside a
/// search, fields are tried in ordinal order with <c>MESSAGE</c> last, stopping at the first miss.
/// </para>
/// <para>
/// Per matching search: a counter named after the search (value 1; tags = reader tags, then the captured
/// groups, then the static tags, sanitised), and its hit count (<see cref="GetHitCounts"/>, the state file's
/// <c>searches</c>). A regex evaluation slower than <see cref="SearchFilterSettings.ThresholdForMetricEmit"/>
/// emits the gauge <c>journal.perform_search_regex_duration</c> (tag <c>regex</c>); one that exceeds the
/// match timeout counts as a miss and emits the counter <c>journal.regex_timeout</c>.
/// </para>
/// <para>
/// One instance per reader, called from the reader's thread (not thread-safe);
/// <see cref="GetHitCounts"/> and <see cref="RegexTimeouts"/> may be read from any thread. An entry that
/// matches no search allocates nothing.
/// </para>
/// </remarks>
public sealed class SearchFilter : IDisposable
{
    /// <summary>The gauge emitted for a slow regex evaluation.</summary>
    public const string SlowRegexMetric = "journal.perform_search_regex_duration";

    /// <summary>The counter emitted when a regex evaluation hits the match timeout (ours; not upstream).</summary>
    public const string RegexTimeoutMetric = "journal.regex_timeout";

    private static readonly Regex TagFunction = new("(?<func>[a-z_]+)\\((?<args>[a-z0-9_,]+)\\)", RegexOptions.CultureInvariant);

    private readonly Search[] _searches;
    private readonly SearchFilterSettings _settings;
    private readonly IPumpMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly List<KeyValuePair<string, string>> _captures = [];
    private char[] _buffer = [];
    private long _timeouts;

    /// <summary>Compiles the searches.</summary>
    /// <param name="searches">The reader's <c>searches</c>, in config order.</param>
    /// <param name="settings">Regex engine, slow-regex threshold, reader tags, GeoIP; <see langword="null"/> for defaults.</param>
    /// <param name="metrics">Where counters and gauges go; <see langword="null"/> for none.</param>
    /// <param name="logger">Where slow and timed-out regexes are logged.</param>
    /// <param name="timeProvider">Measures regex evaluations; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="FilterConfigurationException">A search has no name, a regex cannot be translated or compiled, or a tag function is invalid.</exception>
    public SearchFilter(IEnumerable<SearchOptions> searches, SearchFilterSettings? settings = null, IPumpMetrics? metrics = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(searches);
        _settings = settings ?? new SearchFilterSettings();
        _metrics = metrics ?? NullPumpMetrics.Instance;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _searches = [.. searches.Select(Compile)];
    }

    /// <summary>The number of searches; 0 means every entry is forwarded.</summary>
    public int Count => _searches.Length;

    /// <summary>How many regex evaluations hit the match timeout since creation.</summary>
    public long RegexTimeouts => Interlocked.Read(ref _timeouts);

    /// <summary>
    /// Runs every search on the entry, emitting a counter per matching search. Returns whether the entry may
    /// be forwarded: true when there are no searches or at least one matched.
    /// </summary>
    /// <param name="record">The converted entry.</param>
    /// <returns><see langword="false"/> to drop the entry for every sender.</returns>
    public bool Apply(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_searches.Length == 0)
        {
            return true;
        }

        bool any = false;
        foreach (var search in _searches)
        {
            if (Matches(search, record))
            {
                any = true;
                Hit(search);
            }
        }

        return any;
    }

    /// <summary>Each search's hit count since creation, by name (a later search of the same name wins, as in upstream's state file).</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyDictionary<string, long> GetHitCounts()
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var search in _searches)
        {
            counts[search.Name] = Interlocked.Read(ref search.Hits);
        }

        return counts;
    }

    /// <summary>Returns the pooled buffer.</summary>
    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            System.Buffers.ArrayPool<char>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private Search Compile(SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.Name))
        {
            throw new FilterConfigurationException("a search has no 'name'");
        }

        var fields = (options.Fields ?? new Dictionary<string, string>())
            .OrderBy(f => string.Equals(f.Key, "MESSAGE", StringComparison.Ordinal) ? 1 : 0)
            .ThenBy(f => f.Key, StringComparer.Ordinal)
            .Select(f =>
            {
                if (f.Value is null)
                {
                    throw new FilterConfigurationException($"search '{options.Name}': field '{f.Key}' has no regex");
                }

                PythonRegex regex;
                try
                {
                    regex = new PythonRegex(f.Value, _settings.Regex);
                }
                catch (FilterConfigurationException e)
                {
                    throw new FilterConfigurationException($"search '{options.Name}', field '{f.Key}': {e.Message}", e);
                }

                return new SearchField(f.Key, Encoding.UTF8.GetBytes(f.Key), FilterText.StripUnderscores(f.Key), regex);
            })
            .ToArray();

        var tags = new List<StaticTag>();
        foreach (var tag in options.Tags ?? [])
        {
            string? value = tag.Value;
            if (value is not null && value.AsSpan().IndexOfAny('(', ')') >= 0)
            {
                var match = TagFunction.Match(value);
                if (!match.Success)
                {
                    throw new FilterConfigurationException($"search '{options.Name}': invalid tag function tag value '{value}'");
                }

                string function = match.Groups["func"].Value;
                if (!string.Equals(function, "ip_to_geohash", StringComparison.Ordinal))
                {
                    throw new FilterConfigurationException($"search '{options.Name}': unknown tag function '{function}' in '{value}'");
                }

                if (_settings.GeoIp is null)
                {
                    throw new FilterConfigurationException($"search '{options.Name}': tag '{tag.Name}' uses ip_to_geohash(), which needs geoip_database");
                }

                string[] args = match.Groups["args"].Value.Split(',');
                int precision = 8;
                if (args.Length > 1 && !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out precision))
                {
                    throw new FilterConfigurationException($"search '{options.Name}': ip_to_geohash precision '{args[1]}' is not an integer");
                }

                tags.Add(new StaticTag(tag.Name, null, args[0], Math.Clamp(precision, 1, 64)));
                continue;
            }

            tags.Add(new StaticTag(tag.Name, value, null, 0));
        }

        return new Search(options.Name, fields, [.. tags]);
    }

    private bool Matches(Search search, JournalRecord record)
    {
        _captures.Clear();
        foreach (var field in search.Fields)
        {
            if (!MatchField(search, field, record))
            {
                return false;
            }
        }

        return true;
    }

    private bool MatchField(Search search, SearchField field, JournalRecord record)
    {
        int index = FilterText.IndexOfRaw(record, field.RawName, field.Key);
        if (index < 0)
        {
            return false;
        }

        var values = record[index];
        for (int v = 0; v < values.Count; v++)
        {
            if (!FilterText.TryGetSearchText(values[v], ref _buffer, out int length))
            {
                continue;
            }

            var text = _buffer.AsSpan(0, length);
            long start = _time.GetTimestamp();
            bool matched;
            try
            {
                matched = field.Regex.Regex.IsMatch(text);
            }
            catch (RegexMatchTimeoutException)
            {
                TimedOut(search, field);
                return false;
            }

            var elapsed = _time.GetElapsedTime(start);
            if (elapsed > _settings.ThresholdForMetricEmit)
            {
                Slow(search, field, elapsed);
            }

            if (!matched)
            {
                continue;
            }

            if (field.Regex.NamedGroups.Count > 0)
            {
                Match match;
                try
                {
                    match = field.Regex.Regex.Match(new string(text));
                }
                catch (RegexMatchTimeoutException)
                {
                    TimedOut(search, field);
                    return false;
                }

                foreach (var (name, number) in field.Regex.NamedGroups)
                {
                    var group = match.Groups[number];
                    if (group.Success)
                    {
                        SetCapture(name, group.Value);
                    }
                }
            }

            return true;
        }

        return false;
    }

    private void SetCapture(string name, string value)
    {
        for (int i = 0; i < _captures.Count; i++)
        {
            if (string.Equals(_captures[i].Key, name, StringComparison.Ordinal))
            {
                _captures[i] = new(name, value);
                return;
            }
        }

        _captures.Add(new(name, value));
    }

    private void Hit(Search search)
    {
        Interlocked.Increment(ref search.Hits);
        var tags = new List<MetricTag>(_settings.ReaderTags.Count + _captures.Count + search.Tags.Length);
        tags.AddRange(_settings.ReaderTags);
        foreach (var (name, value) in _captures)
        {
            AddExtraTag(tags, name, value);
        }

        foreach (var tag in search.Tags)
        {
            string? value = tag.Value;
            if (tag.GeoHashSource is not null)
            {
                value = GeoHashTag(search, tag);
            }

            AddExtraTag(tags, tag.Name, value);
        }

        _metrics.Increment(search.Name, tags);
    }

    private string GeoHashTag(Search search, StaticTag tag)
    {
        string? ip = null;
        foreach (var (name, value) in _captures)
        {
            if (string.Equals(name, tag.GeoHashSource, StringComparison.Ordinal))
            {
                ip = value;
            }
        }

        // Upstream drops the entry when the address is unknown or not captured; ours tags "".
        if (ip is not null && _settings.GeoIp!.TryLocate(ip, out double latitude, out double longitude))
        {
            return GeoHash.Encode(latitude, longitude, tag.Precision);
        }

        Log.GeoHashFailed(_logger, search.Name, tag.GeoHashSource!);
        return "";
    }

    private static void AddExtraTag(List<MetricTag> tags, string? name, string? value)
    {
        if (name is null || value is null)
        {
            return;
        }

        FilterText.SetTag(tags, MetricTags.SanitizeName(name), MetricTags.SanitizeValue(value));
    }

    private void Slow(Search search, SearchField field, TimeSpan elapsed)
    {
        Log.SearchRegexSlow(_logger, search.Name, field.Regex.Pattern, field.Name, elapsed.TotalSeconds, _settings.ThresholdForMetricEmit.TotalSeconds);
        var tags = new List<MetricTag>(_settings.ReaderTags);
        AddExtraTag(tags, "regex", field.Regex.Pattern);
        _metrics.Gauge(SlowRegexMetric, elapsed.TotalSeconds, tags);
    }

    private void TimedOut(Search search, SearchField field)
    {
        Interlocked.Increment(ref _timeouts);
        Log.SearchRegexTimedOut(_logger, search.Name, field.Regex.Pattern, field.Name, _settings.Regex.MatchTimeout);
        var tags = new List<MetricTag>(_settings.ReaderTags);
        AddExtraTag(tags, "filter", "search");
        AddExtraTag(tags, "regex", field.Regex.Pattern);
        _metrics.Increment(RegexTimeoutMetric, tags);
    }

    private sealed class Search(string name, SearchField[] fields, StaticTag[] tags)
    {
        public long Hits;

        public string Name { get; } = name;

        public SearchField[] Fields { get; } = fields;

        public StaticTag[] Tags { get; } = tags;
    }

    private sealed record SearchField(string Name, byte[] RawName, byte[] Key, PythonRegex Regex);

    private sealed record StaticTag(string Name, string? Value, string? GeoHashSource, int Precision);
}
