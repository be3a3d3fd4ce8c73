using System.Text.Json;

namespace JournalPump.Host.Config;

/// <summary>
/// A validated journalpump configuration with every default filled in (spec section 2.1).
/// Built by <see cref="ConfigLoader"/>; immutable.
/// </summary>
internal sealed record PumpConfig
{
    /// <summary>The default of <c>msg_buffer_max_length</c>.</summary>
    public const int DefaultMsgBufferMaxLength = 50_000;

    /// <summary>The default of <c>msg_buffer_max_bytes</c> (5 MiB).</summary>
    public const long DefaultMsgBufferMaxBytes = 5 * 1024 * 1024;

    /// <summary><c>log_level</c>: the daemon's log level, default <see cref="PumpLogLevel.Info"/>.</summary>
    public PumpLogLevel LogLevel { get; init; } = PumpLogLevel.Info;

    /// <summary><c>json_state_file_path</c>; null means no state file is read or written (upstream has no default).</summary>
    public string? JsonStateFilePath { get; init; }

    /// <summary><c>statsd</c>; null when the key is absent or null.</summary>
    public StatsdConfig? Statsd { get; init; }

    /// <summary><c>tags</c>: pump-level metric tags in config order (never added to records).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];

    /// <summary><c>geoip_database</c>: path of a MaxMind City database, for <c>ip_to_geohash()</c>.</summary>
    public string? GeoipDatabase { get; init; }

    /// <summary><c>field_filters</c>, in config order.</summary>
    public IReadOnlyList<FieldFilterConfig> FieldFilters { get; init; } = [];

    /// <summary><c>unit_log_levels</c>, in config order.</summary>
    public IReadOnlyList<UnitLogLevelsConfig> UnitLogLevels { get; init; } = [];

    /// <summary><c>readers</c>, in config order.</summary>
    public IReadOnlyList<ReaderConfig> Readers { get; init; } = [];

    /// <summary>The pump-level equality filter applied to every reader (<c>match_key</c>/<c>match_value</c>, spec 5.3).</summary>
    public MatchConfig? Match { get; init; }

    /// <summary><c>msg_buffer_max_length</c>: per-sender queue length limit, always &gt; 0.</summary>
    public int MsgBufferMaxLength { get; init; } = DefaultMsgBufferMaxLength;

    /// <summary><c>msg_buffer_max_bytes</c>: per-sender queue byte limit; 0 means unlimited (upstream stops reading forever).</summary>
    public long MsgBufferMaxBytes { get; init; } = DefaultMsgBufferMaxBytes;

    /// <summary>The field filter named <paramref name="name"/>, or null.</summary>
    public FieldFilterConfig? FindFieldFilter(string name) => FieldFilters.FirstOrDefault(f => f.Name == name);

    /// <summary>The unit log level rule list named <paramref name="name"/>, or null.</summary>
    public UnitLogLevelsConfig? FindUnitLogLevels(string name) => UnitLogLevels.FirstOrDefault(u => u.Name == name);
}

/// <summary>The daemon's own log level (<c>log_level</c>, spec 1.7), valued as Python's logging levels.</summary>
internal enum PumpLogLevel
{
    /// <summary><c>DEBUG</c> (10).</summary>
    Debug = 10,

    /// <summary><c>INFO</c> (20).</summary>
    Info = 20,

    /// <summary><c>WARNING</c> or <c>WARN</c> (30).</summary>
    Warning = 30,

    /// <summary><c>ERROR</c> (40).</summary>
    Error = 40,

    /// <summary><c>CRITICAL</c> or <c>FATAL</c> (50).</summary>
    Critical = 50,
}

/// <summary>The <c>statsd</c> object (spec 2.1, 7.1).</summary>
internal sealed record StatsdConfig
{
    /// <summary><c>host</c>.</summary>
    public string? Host { get; init; }

    /// <summary><c>port</c>, 1-65535.</summary>
    public int? Port { get; init; }

    /// <summary><c>prefix</c>, default empty.</summary>
    public string Prefix { get; init; } = "";

    /// <summary><c>tags</c>, in config order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];

    /// <summary>Metrics are sent only when both host and port are set, as upstream.</summary>
    public bool Enabled => Host is not null && Port is not null;
}

/// <summary>A <c>match_key</c>/<c>match_value</c> pair (spec 5.3).</summary>
/// <param name="Key">The renamed record key (<c>SYSTEMD_UNIT</c>, not <c>_SYSTEMD_UNIT</c>).</param>
/// <param name="Value">The JSON value to compare with; null when <c>match_value</c> is absent or null, which passes entries that lack the key.</param>
internal sealed record MatchConfig(string Key, JsonElement? Value);

/// <summary>Whether a field filter keeps or drops its fields.</summary>
internal enum FieldFilterMode
{
    /// <summary>Keep only the listed fields.</summary>
    Whitelist,

    /// <summary>Drop the listed fields.</summary>
    Blacklist,
}

/// <summary>One named field filter, <c>field_filters.&lt;name&gt;</c> (spec 2.4, 5.7).</summary>
/// <param name="Name">The filter's name.</param>
/// <param name="Mode"><c>type</c>: whitelist unless <c>type</c> is anything other than exactly <c>"whitelist"</c>.</param>
/// <param name="Fields"><c>fields</c>, as written (the filter compares them without leading underscores, case-insensitively).</param>
internal sealed record FieldFilterConfig(string Name, FieldFilterMode Mode, IReadOnlyList<string> Fields);

/// <summary>One named list of unit log level rules, <c>unit_log_levels.&lt;name&gt;</c> (spec 2.5, 5.6).</summary>
/// <param name="Name">The list's name.</param>
/// <param name="Rules">The rules in config order (the strictest matching rule wins).</param>
internal sealed record UnitLogLevelsConfig(string Name, IReadOnlyList<UnitLogLevelRule> Rules);

/// <summary>One unit log level rule.</summary>
/// <param name="ServiceGlob"><c>service_glob</c>: a Python fnmatch glob matched against the whole unit name.</param>
/// <param name="LogLevel"><c>log_level</c>: the syslog level name (upper case).</param>
/// <param name="Level">The level's number: EMERGENCY 0 ... DEBUG 7.</param>
internal sealed record UnitLogLevelRule(string ServiceGlob, string LogLevel, int Level);
