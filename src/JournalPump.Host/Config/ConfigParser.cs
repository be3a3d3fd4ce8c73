using System.Globalization;
using System.Text.Json;

namespace JournalPump.Host.Config;

/// <summary>Walks one configuration document by hand, so that every problem names its JSON path. One instance per load.</summary>
internal sealed partial class ConfigParser(ConfigLoaderOptions options, ConfigProblems problems)
{
    private const string StateFileKey = "json_state_file_path";

    private static readonly string[] PythonLogLevelNames = ["DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL", "FATAL"];

    /// <summary>The syslog level names of unit log levels (spec 2.5), by number.</summary>
    internal static readonly string[] SyslogLevelNames = ["EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"];

    private readonly HashSet<string> _fieldFilterNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unitLogLevelNames = new(StringComparer.Ordinal);
    private bool _hasGeoipDatabase;

    /// <summary>Parses the document; the result is meaningful only when no error was recorded.</summary>
    public PumpConfig Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Error("", $"the configuration must be a JSON object, not {Describe(root)}");
            return new PumpConfig();
        }

        var top = JsonObjectView.Create(root, "", problems);
        var logLevel = ParseLogLevel(top);
        var statePath = String(top, StateFileKey);
        if (statePath is null)
        {
            problems.Warning(StateFileKey, "not set: no state file is read or written, so every start reads from each reader's initial_position "
                + "(journalpump has no default state file, whatever its README says)");
        }

        var statsd = ParseStatsd(top);
        var tags = StringMap(top, "tags") ?? [];
        var geoip = String(top, "geoip_database");
        if (geoip is not null && options.CheckReadableFile(geoip) is { } geoipProblem)
        {
            problems.Error("geoip_database", geoipProblem);
        }

        _hasGeoipDatabase = geoip is not null;
        var fieldFilters = ParseFieldFilters(top);
        var unitLogLevels = ParseUnitLogLevels(top);
        var match = ParseMatch(top);
        var maxLength = Integer(top, "msg_buffer_max_length", 1, int.MaxValue, "must be at least 1") ?? PumpConfig.DefaultMsgBufferMaxLength;
        var maxBytes = Integer(top, "msg_buffer_max_bytes", 0, long.MaxValue, "must not be negative (0 means unlimited)") ?? PumpConfig.DefaultMsgBufferMaxBytes;
        if (maxBytes == 0)
        {
            problems.Warning("msg_buffer_max_bytes", "0: the per-sender queue has no byte limit, only msg_buffer_max_length applies (upstream journalpump stops reading forever)");
        }

        var readers = ParseReaders(top);
        ReportUnknownKeys(top, "");
        return new PumpConfig
        {
            LogLevel = logLevel,
            JsonStateFilePath = statePath,
            Statsd = statsd,
            Tags = tags,
            GeoipDatabase = geoip,
            FieldFilters = fieldFilters,
            UnitLogLevels = unitLogLevels,
            Readers = readers,
            Match = match,
            MsgBufferMaxLength = (int)maxLength,
            MsgBufferMaxBytes = maxBytes,
        };
    }

    private PumpLogLevel ParseLogLevel(JsonObjectView top)
    {
        if (top.Get("log_level") is not { } value)
        {
            return PumpLogLevel.Info;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            switch (number)
            {
                case 0 or 10: return PumpLogLevel.Debug;
                case 20: return PumpLogLevel.Info;
                case 30: return PumpLogLevel.Warning;
                case 40: return PumpLogLevel.Error;
                case 50: return PumpLogLevel.Critical;
            }
        }
        else if (value.ValueKind == JsonValueKind.String)
        {
            switch (value.GetString()!.ToUpperInvariant())
            {
                case "DEBUG": return PumpLogLevel.Debug;
                case "INFO": return PumpLogLevel.Info;
                case "WARNING" or "WARN": return PumpLogLevel.Warning;
                case "ERROR": return PumpLogLevel.Error;
                case "CRITICAL" or "FATAL": return PumpLogLevel.Critical;
            }
        }

        problems.Error("log_level", $"unknown log level {Show(value)} (known: {string.Join(", ", PythonLogLevelNames)}, or 10, 20, 30, 40, 50)");
        return PumpLogLevel.Info;
    }

    private StatsdConfig? ParseStatsd(JsonObjectView top)
    {
        if (Object(top, "statsd") is not { } statsd)
        {
            return null;
        }

        var host = String(statsd, "host");
        var port = Integer(statsd, "port", 1, 65535, "must be a port number from 1 to 65535");
        var prefix = String(statsd, "prefix") ?? "";
        var tags = StringMap(statsd, "tags") ?? [];
        if (host is not null && !statsd.Has("port"))
        {
            problems.Warning("statsd.port", "missing: metrics are sent only when both statsd.host and statsd.port are set, so none will be sent");
        }
        else if (host is null && statsd.Has("port"))
        {
            problems.Warning("statsd.host", "missing: metrics are sent only when both statsd.host and statsd.port are set, so none will be sent");
        }

        ReportUnknownKeys(statsd, "statsd");
        return new StatsdConfig { Host = host, Port = (int?)port, Prefix = prefix, Tags = tags };
    }

    private List<FieldFilterConfig> ParseFieldFilters(JsonObjectView top)
    {
        var result = new List<FieldFilterConfig>();
        if (Object(top, "field_filters") is not { } filters)
        {
            return result;
        }

        foreach (var (name, value) in filters.Members)
        {
            _fieldFilterNames.Add(name);
            var path = ConfigProblems.Join("field_filters", name);
            if (AsObject(value, path) is not { } filter)
            {
                continue;
            }

            var mode = FieldFilterMode.Whitelist;
            if (filter.Get("type") is { } type)
            {
                if (type.ValueKind == JsonValueKind.String && type.GetString() == "whitelist")
                {
                    mode = FieldFilterMode.Whitelist;
                }
                else
                {
                    mode = FieldFilterMode.Blacklist;
                    if (!(type.ValueKind == JsonValueKind.String && type.GetString() == "blacklist"))
                    {
                        problems.Warning(ConfigProblems.Join(path, "type"), $"{Show(type)} is treated as \"blacklist\": anything other than exactly \"whitelist\" makes a blacklist");
                    }
                }
            }

            var fields = StringList(filter, "fields", required: "required: the list of fields to keep or drop");
            ReportUnknownKeys(filter, path);
            result.Add(new FieldFilterConfig(name, mode, fields ?? []));
        }

        return result;
    }

    private List<UnitLogLevelsConfig> ParseUnitLogLevels(JsonObjectView top)
    {
        var result = new List<UnitLogLevelsConfig>();
        if (Object(top, "unit_log_levels") is not { } lists)
        {
            return result;
        }

        foreach (var (name, value) in lists.Members)
        {
            _unitLogLevelNames.Add(name);
            var path = ConfigProblems.Join("unit_log_levels", name);
            if (value.ValueKind != JsonValueKind.Array)
            {
                problems.Error(path, $"must be a list of {{\"service_glob\": ..., \"log_level\": ...}} rules, not {Describe(value)}");
                continue;
            }

            var rules = new List<UnitLogLevelRule>();
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                var itemPath = ConfigProblems.Index(path, index++);
                if (AsObject(item, itemPath) is not { } rule)
                {
                    continue;
                }

                var glob = String(rule, "service_glob", required: "required: the unit name glob");
                if (glob is { Length: 0 })
                {
                    problems.Warning(ConfigProblems.Join(itemPath, "service_glob"), "empty: the rule matches no unit");
                }

                var level = String(rule, "log_level", required: $"required: one of {string.Join(", ", SyslogLevelNames)}");
                var number = level is null ? -1 : Array.IndexOf(SyslogLevelNames, level);
                if (level is not null && number < 0)
                {
                    var hint = Array.IndexOf(SyslogLevelNames, level.ToUpperInvariant()) >= 0 ? " (level names are upper case)" : "";
                    problems.Error(ConfigProblems.Join(itemPath, "log_level"), $"unknown level '{level}'{hint}; known: {string.Join(", ", SyslogLevelNames)}");
                }

                ReportUnknownKeys(rule, itemPath);
                rules.Add(new UnitLogLevelRule(glob ?? "", level ?? "", number));
            }

            result.Add(new UnitLogLevelsConfig(name, rules));
        }

        return result;
    }

    private MatchConfig? ParseMatch(JsonObjectView obj)
    {
        var key = String(obj, "match_key");
        obj.TryGetRaw("match_value", out var raw);
        JsonElement? value = raw.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : raw.Clone();
        if (string.IsNullOrEmpty(key))
        {
            if (value is not null)
            {
                problems.Warning(ConfigProblems.Join(obj.Path, "match_value"), "ignored: there is no match_key");
            }

            return null;
        }

        return new MatchConfig(key, value);
    }

    private void ReportUnknownKeys(JsonObjectView obj, string path, string? context = null)
    {
        foreach (var key in obj.UnusedKeys)
        {
            problems.Warning(ConfigProblems.Join(path, key), context is null ? "unknown key; ignored" : $"unknown key for {context}; ignored");
        }
    }

    // ---- typed reads: each reports a wrong type as an error naming the path; JSON null counts as absent ----

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => value.GetRawText(),
    };

    private JsonObjectView? AsObject(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return JsonObjectView.Create(value, path, problems);
        }

        problems.Error(path, $"must be an object, not {Describe(value)}");
        return null;
    }

    private JsonObjectView? Object(JsonObjectView obj, string key, string? required = null)
    {
        var path = ConfigProblems.Join(obj.Path, key);
        if (obj.Get(key) is not { } value)
        {
            if (required is not null)
            {
                problems.Error(path, required);
            }

            return null;
        }

        return AsObject(value, path);
    }

    private string? String(JsonObjectView obj, string key, string? required = null)
    {
        var path = ConfigProblems.Join(obj.Path, key);
        if (obj.Get(key) is not { } value)
        {
            if (required is not null)
            {
                problems.Error(path, required);
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Error(path, $"must be a string, not {Describe(value)}");
            return null;
        }

        return value.GetString();
    }

    private long? Integer(JsonObjectView obj, string key, long min, long max, string rangeMessage)
    {
        var path = ConfigProblems.Join(obj.Path, key);
        if (obj.Get(key) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            problems.Error(path, $"must be an integer, not {(value.ValueKind == JsonValueKind.Number ? value.GetRawText() : Describe(value))}");
            return null;
        }

        if (number < min || number > max)
        {
            problems.Error(path, $"{rangeMessage}, not {number}");
            return null;
        }

        return number;
    }

    private double? Number(JsonObjectView obj, string key, bool allowZero)
    {
        var path = ConfigProblems.Join(obj.Path, key);
        if (obj.Get(key) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            problems.Error(path, $"must be a number of seconds, not {Describe(value)}");
            return null;
        }

        if (number < 0 || (number == 0 && !allowZero))
        {
            problems.Error(path, $"must be {(allowZero ? "zero or more" : "more than zero")} seconds, not {value.GetRawText()}");
            return null;
        }

        return number;
    }

    private bool? Bool(JsonObjectView obj, string key)
    {
        if (obj.Get(key) is not { } value)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.ValueKind == JsonValueKind.True;
        }

        problems.Error(ConfigProblems.Join(obj.Path, key), $"must be true or false, not {Describe(value)}");
        return null;
    }

    /// <summary>Python truthiness, as upstream's <c>if config.get(key)</c>.</summary>
    private static bool Truthy(JsonObjectView obj, string key) => obj.Get(key) is { } value && value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Number => value.GetDouble() != 0,
        JsonValueKind.Array => value.GetArrayLength() > 0,
        JsonValueKind.Object => value.EnumerateObject().Any(),
        _ => false,
    };

    private List<string>? StringList(JsonObjectView obj, string key, string? required = null)
    {
        var path = ConfigProblems.Join(obj.Path, key);
        if (obj.Get(key) is not { } value)
        {
            if (required is not null)
            {
                problems.Error(path, required);
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Error(path, $"must be a list of strings, not {Describe(value)}");
            return null;
        }

        var result = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                result.Add(item.GetString()!);
            }
            else
            {
                problems.Error(ConfigProblems.Index(path, index), $"must be a string, not {Describe(item)}");
            }

            index++;
        }

        return result;
    }

    /// <summary>An object of tag-like values: strings, numbers and booleans become text (as Python formats them); null values are left out.</summary>
    private List<KeyValuePair<string, string>>? StringMap(JsonObjectView obj, string key)
    {
        if (Object(obj, key) is not { } map)
        {
            return null;
        }

        var result = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in map.Members)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    result.Add(new(name, value.GetString()!));
                    break;
                case JsonValueKind.Number:
                    result.Add(new(name, value.GetRawText()));
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    result.Add(new(name, value.ValueKind == JsonValueKind.True ? "True" : "False"));
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    problems.Error(ConfigProblems.Join(map.Path, name), $"must be a string, not {Describe(value)}");
                    break;
            }
        }

        return result;
    }

    private void CheckReadable(JsonObjectView obj, string key, string? value)
    {
        if (value is not null && options.CheckReadableFile(value) is { } problem)
        {
            problems.Error(ConfigProblems.Join(obj.Path, key), problem);
        }
    }

    private static bool IsAbsoluteUrl(string value, params string[] schemes) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase)
        && uri.Host.Length > 0;

    private static string FormatSeconds(double seconds) => seconds.ToString("0.0##", CultureInfo.InvariantCulture);
}
