using JournalPump.Core.Formatting;
using JournalPump.Core.Metrics;
using JournalPump.Core.Pipeline;
using JournalPump.Core.Redaction;
using Microsoft.Extensions.Logging;

namespace JournalPump.Core.Filtering;

/// <summary>What a reader's filters decided for one entry.</summary>
public enum EntryFilterOutcome
{
    /// <summary>The entry goes on to the senders (each still applies its <see cref="SenderFilter"/>).</summary>
    Forward,

    /// <summary>The reader has searches and none matched.</summary>
    NoSearchMatched,

    /// <summary>The pump-level <c>match_key</c>/<c>match_value</c> rejected it.</summary>
    PumpMatchRejected,

    /// <summary>The reader-level <c>match_key</c>/<c>match_value</c> rejected it.</summary>
    ReaderMatchRejected,
}

/// <summary>The filter configuration of one reader, mirroring journalpump's keys.</summary>
public sealed class EntryFilterChainOptions
{
    /// <summary>The reader's name (the <c>reader</c> metric tag).</summary>
    public required string ReaderName { get; init; }

    /// <summary>The pump's metric tags (top-level <c>tags</c>), in config order.</summary>
    public IReadOnlyList<MetricTag> PumpTags { get; init; } = [];

    /// <summary>Top-level <c>match_key</c>/<c>match_value</c>.</summary>
    public MatchFilter PumpMatch { get; init; } = MatchFilter.None;

    /// <summary>Reader-level <c>match_key</c>/<c>match_value</c>.</summary>
    public MatchFilter ReaderMatch { get; init; } = MatchFilter.None;

    /// <summary>The reader's <c>searches</c>.</summary>
    public IReadOnlyList<SearchOptions> Searches { get; init; } = [];

    /// <summary>The reader's <c>threshold_for_metric_emit</c> (default 10 s).</summary>
    public TimeSpan ThresholdForMetricEmit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Locates IP addresses for <c>ip_to_geohash()</c> search tags (top-level <c>geoip_database</c>).</summary>
    public IGeoIpLocator? GeoIp { get; init; }

    /// <summary>The reader's <c>secret_filters</c>.</summary>
    public IReadOnlyList<SecretFilterOptions> SecretFilters { get; init; } = [];

    /// <summary>The reader's <c>secret_filter_metrics</c>: count entries whose MESSAGE was redacted.</summary>
    public bool SecretFilterMetrics { get; init; }

    /// <summary>Regex engine and match timeout (<c>USE_RE2</c>, <c>regex_engine</c>, <c>regex_match_timeout</c>).</summary>
    public PythonRegexOptions Regex { get; init; } = PythonRegexOptions.Default;
}

/// <summary>
/// A reader's filters in journalpump's order (spec 5): searches (on raw field names; they emit their
/// metrics and restrict forwarding), pump-level match, reader-level match, then secret filters, which
/// rewrite <c>MESSAGE</c> in the record before any sender formats it. Per-sender steps (unit log levels,
/// field filters) are each sender's <see cref="SenderFilter"/>. <c>units_to_match</c> acts earlier, in
/// libsystemd (<see cref="UnitsToMatch"/>).
/// </summary>
/// <remarks>
/// One chain per reader, called once per entry from the reader's thread (not thread-safe), after
/// <see cref="JournalRecord.Load"/> and before formatting. <see cref="EmitSecretFilterMetrics"/> and the
/// counters may be used from any thread.
/// </remarks>
public sealed class EntryFilterChain : IEntryFilter, IDisposable
{
    /// <summary>The counter of redacted entries (<c>secret_filter_metrics</c>).</summary>
    public const string SecretFilterMatchMetric = "journal.secret_filter_match";

    private readonly IPumpMetrics _metrics;
    private readonly List<MetricTag> _readerTags;
    private readonly bool _secretFilterMetrics;
    private long _pendingSecretMatches;
    private long _redactedEntries;

    /// <summary>Builds the chain.</summary>
    /// <param name="options">The reader's filter configuration.</param>
    /// <param name="metrics">Where metrics go; <see langword="null"/> for none.</param>
    /// <param name="logger">Where slow and timed-out regexes are logged.</param>
    /// <param name="timeProvider">Measures regex evaluations.</param>
    /// <exception cref="FilterConfigurationException">A search or secret filter is invalid.</exception>
    public EntryFilterChain(EntryFilterChainOptions options, IPumpMetrics? metrics = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _metrics = metrics ?? NullPumpMetrics.Instance;
        _readerTags = FilterText.ReaderTags(options.PumpTags ?? [], options.ReaderName);
        PumpMatch = options.PumpMatch ?? MatchFilter.None;
        ReaderMatch = options.ReaderMatch ?? MatchFilter.None;
        Searches = new SearchFilter(
            options.Searches ?? [],
            new SearchFilterSettings
            {
                Regex = options.Regex ?? PythonRegexOptions.Default,
                ThresholdForMetricEmit = options.ThresholdForMetricEmit,
                ReaderTags = _readerTags,
                GeoIp = options.GeoIp,
            },
            _metrics,
            logger,
            timeProvider);
        SecretFilter = new SecretFilter(options.SecretFilters ?? [], options.Regex, _metrics, _readerTags, logger);
        _secretFilterMetrics = options.SecretFilterMetrics;
    }

    /// <summary>The reader's metric tags: pump tags, then <c>reader</c> (journalpump's R group).</summary>
    public IReadOnlyList<MetricTag> ReaderTags => _readerTags;

    /// <summary>The searches.</summary>
    public SearchFilter Searches { get; }

    /// <summary>The pump-level match.</summary>
    public MatchFilter PumpMatch { get; }

    /// <summary>The reader-level match.</summary>
    public MatchFilter ReaderMatch { get; }

    /// <summary>The secret filters.</summary>
    public SecretFilter SecretFilter { get; }

    /// <summary>Entries whose MESSAGE the secret filters changed since creation (counted whether or not <c>secret_filter_metrics</c> is on).</summary>
    public long RedactedEntries => Interlocked.Read(ref _redactedEntries);

    /// <summary>Redacted entries not yet reported by <see cref="EmitSecretFilterMetrics"/>.</summary>
    public long PendingSecretFilterMatches => Interlocked.Read(ref _pendingSecretMatches);

    /// <summary>Runs the reader's filters on one entry, in journalpump's order.</summary>
    /// <param name="record">The converted entry; its MESSAGE may be rewritten.</param>
    /// <returns>Whether the entry goes on to the senders, or why not.</returns>
    public EntryFilterOutcome Apply(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!Searches.Apply(record))
        {
            return EntryFilterOutcome.NoSearchMatched;
        }

        if (!PumpMatch.Matches(record))
        {
            return EntryFilterOutcome.PumpMatchRejected;
        }

        if (!ReaderMatch.Matches(record))
        {
            return EntryFilterOutcome.ReaderMatchRejected;
        }

        if (SecretFilter.Apply(record))
        {
            Interlocked.Increment(ref _redactedEntries);
            if (_secretFilterMetrics)
            {
                Interlocked.Increment(ref _pendingSecretMatches);
            }
        }

        return EntryFilterOutcome.Forward;
    }

    /// <summary>
    /// Emits <c>journal.secret_filter_match</c> (counter, reader tags) with the entries redacted since the
    /// last call, when there were any and <c>secret_filter_metrics</c> is on. The pipeline calls this with
    /// its periodic (10 s) statistics.
    /// </summary>
    /// <returns>The value emitted, 0 when nothing was.</returns>
    public long EmitSecretFilterMetrics()
    {
        long pending = Interlocked.Exchange(ref _pendingSecretMatches, 0);
        if (pending > 0)
        {
            _metrics.Increment(SecretFilterMatchMetric, _readerTags, pending);
        }

        return pending;
    }

    /// <inheritdoc/>
    public bool Accept(JournalRecord record) => Apply(record) == EntryFilterOutcome.Forward;

    /// <inheritdoc/>
    public void EmitPeriodicMetrics() => EmitSecretFilterMetrics();

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, long> GetSearchHits() => Searches.GetHitCounts();

    /// <summary>Returns pooled buffers.</summary>
    public void Dispose()
    {
        Searches.Dispose();
        SecretFilter.Dispose();
    }
}
