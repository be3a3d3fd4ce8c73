using Systemd.Journal;
namespace JournalPump.Host.Config;

/// <summary>One reader, <c>readers.&lt;name&gt;</c> (spec 2.2, 3.1, 3.4).</summary>
internal sealed record ReaderConfig
{
    /// <summary>The default of <c>threshold_for_metric_emit</c>, in seconds.</summary>
    public const int DefaultThresholdForMetricEmit = 10;

    /// <summary>The reader's name (its key in <c>readers</c>).</summary>
    public required string Name { get; init; }

    /// <summary><c>senders</c>, in config order.</summary>
    public IReadOnlyList<SenderConfig> Senders { get; init; } = [];

    /// <summary><c>initial_position</c>: where to start without a usable resume cursor.</summary>
    public InitialPosition InitialPosition { get; init; } = InitialPosition.Default;

    /// <summary><c>journal_path</c>: a directory of journal files.</summary>
    public string? JournalPath { get; init; }

    /// <summary><c>journal_files</c>: exactly these journal files (never together with <see cref="JournalPath"/>).</summary>
    public IReadOnlyList<string>? JournalFiles { get; init; }

    /// <summary><c>journal_namespace</c>; ignored when <see cref="JournalPath"/> or <see cref="JournalFiles"/> is set.</summary>
    public string? JournalNamespace { get; init; }

    /// <summary><c>journal_flags</c> as configured; null when absent (see <see cref="EffectiveJournalFlags"/>).</summary>
    public JournalOpenFlags? JournalFlags { get; init; }

    /// <summary>The flags the journal is opened with: as configured, else <c>LOCAL_ONLY</c> for the local journal and 0 for a path or files.</summary>
    public JournalOpenFlags EffectiveJournalFlags =>
        JournalFlags ?? (JournalPath is null && JournalFiles is null ? JournalOpenFlags.LocalOnly : JournalOpenFlags.None);

    /// <summary><c>units_to_match</c>: exact <c>_SYSTEMD_UNIT</c> values, OR-ed.</summary>
    public IReadOnlyList<string> UnitsToMatch { get; init; } = [];

    /// <summary>The reader-level <c>match_key</c>/<c>match_value</c>.</summary>
    public MatchConfig? Match { get; init; }

    /// <summary><c>searches</c>, in config order.</summary>
    public IReadOnlyList<SearchConfig> Searches { get; init; } = [];

    /// <summary><c>secret_filters</c>, in config order; null when absent.</summary>
    public IReadOnlyList<SecretFilterConfig>? SecretFilters { get; init; }

    /// <summary><c>secret_filter_metrics</c>: only the JSON literal <c>true</c> enables it.</summary>
    public bool SecretFilterMetrics { get; init; }

    /// <summary><c>threshold_for_metric_emit</c>, seconds.</summary>
    public int ThresholdForMetricEmit { get; init; } = DefaultThresholdForMetricEmit;
}

/// <summary>The forms of <c>initial_position</c>.</summary>
internal enum InitialPositionKind
{
    /// <summary>Absent: no seek, which starts at the first entry like head.</summary>
    Default,

    /// <summary><c>"head"</c>: the first entry.</summary>
    Head,

    /// <summary><c>"tail"</c>: only entries appended after start-up.</summary>
    Tail,

    /// <summary>An integer: monotonic time in seconds in the current boot.</summary>
    MonotonicSeconds,
}

/// <summary><c>initial_position</c> (spec 3.4).</summary>
/// <param name="Kind">Which form.</param>
/// <param name="Seconds">For <see cref="InitialPositionKind.MonotonicSeconds"/>: the seconds; else 0.</param>
internal sealed record InitialPosition(InitialPositionKind Kind, long Seconds = 0)
{
    /// <summary>The position when the key is absent.</summary>
    public static InitialPosition Default { get; } = new(InitialPositionKind.Default);

    /// <summary><c>"head"</c>.</summary>
    public static InitialPosition Head { get; } = new(InitialPositionKind.Head);

    /// <summary><c>"tail"</c>.</summary>
    public static InitialPosition Tail { get; } = new(InitialPositionKind.Tail);
}

/// <summary>One search, <c>readers.&lt;r&gt;.searches[i]</c> (spec 5.2). Patterns are Python regexes, validated but not compiled.</summary>
/// <param name="Name">The metric name.</param>
/// <param name="Fields">Raw journal field name → Python regex, in config order.</param>
/// <param name="Tags">Static tags in config order; a value may be a tag function call (see <see cref="SearchTagFunction"/>).</param>
internal sealed record SearchConfig(
    string Name,
    IReadOnlyList<KeyValuePair<string, string>> Fields,
    IReadOnlyList<SearchTag> Tags);

/// <summary>A static search tag.</summary>
/// <param name="Name">The tag name.</param>
/// <param name="Value">The value as written.</param>
/// <param name="Function">The parsed function call when the value contains parentheses, else null.</param>
internal sealed record SearchTag(string Name, string Value, SearchTagFunction? Function);

/// <summary>A tag function call such as <c>ip_to_geohash(ip,5)</c>; the only function is <c>ip_to_geohash</c>.</summary>
/// <param name="Name">The function name.</param>
/// <param name="Arguments">Its arguments, as written.</param>
internal sealed record SearchTagFunction(string Name, IReadOnlyList<string> Arguments);

/// <summary>One secret filter, <c>readers.&lt;r&gt;.secret_filters[i]</c> (spec 5.5): a Python regex and a Python replacement template.</summary>
/// <param name="Pattern">The Python regex.</param>
/// <param name="Replacement">The Python <c>re.sub</c> template (<c>\1</c>, <c>\g&lt;name&gt;</c>, escapes).</param>
internal sealed record SecretFilterConfig(string Pattern, string Replacement);
