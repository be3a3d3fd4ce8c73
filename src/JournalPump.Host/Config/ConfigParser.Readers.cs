using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Systemd.Journal;

namespace JournalPump.Host.Config;

internal sealed partial class ConfigParser
{
    private static readonly (string Name, JournalOpenFlags Flag)[] JournalFlagNames =
    [
        ("LOCAL_ONLY", JournalOpenFlags.LocalOnly),
        ("RUNTIME_ONLY", JournalOpenFlags.RuntimeOnly),
        ("SYSTEM", JournalOpenFlags.System),
        ("SYSTEM_ONLY", JournalOpenFlags.System),
        ("CURRENT_USER", JournalOpenFlags.CurrentUser),
        ("OS_ROOT", JournalOpenFlags.OsRoot),
    ];

    /// <summary>Trusted journal fields users often write in their renamed form in searches (which use raw names).</summary>
    private static readonly HashSet<string> RenamedTrustedFields = new(StringComparer.Ordinal)
    {
        "PID", "UID", "GID", "COMM", "EXE", "CMDLINE", "CAP_EFFECTIVE", "AUDIT_SESSION", "AUDIT_LOGINUID", "SYSTEMD_CGROUP",
        "SYSTEMD_SLICE", "SYSTEMD_UNIT", "SYSTEMD_USER_UNIT", "SYSTEMD_USER_SLICE", "SYSTEMD_SESSION", "SYSTEMD_OWNER_UID",
        "SYSTEMD_INVOCATION_ID", "SELINUX_CONTEXT", "SOURCE_REALTIME_TIMESTAMP", "BOOT_ID", "MACHINE_ID", "HOSTNAME",
        "TRANSPORT", "STREAM_ID", "LINE_BREAK", "NAMESPACE", "RUNTIME_SCOPE", "REALTIME_TIMESTAMP",
    };

    private static readonly Regex TagFunctionCall = new(@"^([a-z_]+)\(([a-z0-9_,]+)\)$", RegexOptions.CultureInvariant);
    private static readonly Regex NamedGroup = new(@"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>", RegexOptions.CultureInvariant);

    private List<ReaderConfig> ParseReaders(JsonObjectView top)
    {
        var result = new List<ReaderConfig>();
        if (Object(top, "readers") is not { } readers)
        {
            return result;
        }

        if (readers.Members.Count == 0)
        {
            problems.Warning("readers", "empty: the daemon reads nothing");
        }

        foreach (var (name, value) in readers.Members)
        {
            if (AsObject(value, ConfigProblems.Join("readers", name)) is { } reader)
            {
                result.Add(ParseReader(name, reader));
            }
        }

        return result;
    }

    private ReaderConfig ParseReader(string name, JsonObjectView reader)
    {
        var path = reader.Path;
        var journalPath = String(reader, "journal_path");
        if (journalPath is not null && options.CheckDirectory(journalPath) is { } directoryProblem)
        {
            problems.Warning(ConfigProblems.Join(path, "journal_path"), directoryProblem);
        }

        var journalFiles = StringList(reader, "journal_files");
        if (journalPath is not null && journalFiles is not null)
        {
            problems.Error(ConfigProblems.Join(path, "journal_files"), "cannot be used together with journal_path; give one of them");
        }

        var journalNamespace = String(reader, "journal_namespace");
        if (journalNamespace is not null && (journalPath is not null || journalFiles is not null))
        {
            problems.Warning(ConfigProblems.Join(path, "journal_namespace"), "ignored: journal_path or journal_files is set");
        }

        var flags = ParseJournalFlags(reader);
        var initialPosition = ParseInitialPosition(reader);
        var units = StringList(reader, "units_to_match") ?? [];
        var match = ParseMatch(reader);
        var searches = ParseSearches(reader);
        var secretFilters = ParseSecretFilters(reader);
        var secretFilterMetrics = false;
        if (reader.Get("secret_filter_metrics") is { } metrics)
        {
            secretFilterMetrics = metrics.ValueKind == JsonValueKind.True;
            if (metrics.ValueKind != JsonValueKind.True && metrics.ValueKind != JsonValueKind.False)
            {
                problems.Warning(ConfigProblems.Join(path, "secret_filter_metrics"), $"only the JSON literal true enables it; {Show(metrics)} is treated as false");
            }
        }

        var threshold = ParseThreshold(reader);

        if (reader.Has("flags"))
        {
            reader.MarkUsed("flags");
            var effective = flags ?? (journalPath is null && journalFiles is null ? JournalOpenFlags.LocalOnly : JournalOpenFlags.None);
            problems.Warning(ConfigProblems.Join(path, "flags"), "ignored, as by journalpump: the key it reads is journal_flags (the README and sample config say flags); "
                + $"the journal is opened with {FlagNames(effective)}");
        }

        if (reader.Has("tags"))
        {
            reader.MarkUsed("tags");
            problems.Warning(ConfigProblems.Join(path, "tags"), "ignored at reader level, as by journalpump (the README shows it there); the top-level tags are added to metrics only");
        }

        foreach (var key in (string[])["msg_buffer_max_length", "msg_buffer_max_bytes"])
        {
            if (reader.Has(key))
            {
                reader.MarkUsed(key);
                problems.Warning(ConfigProblems.Join(path, key), "ignored at reader level, as by journalpump (the README lists it there); set it at the top level");
            }
        }

        var senders = new List<SenderConfig>();
        if (Object(reader, "senders") is { } senderObjects)
        {
            foreach (var (senderName, value) in senderObjects.Members)
            {
                if (AsObject(value, ConfigProblems.Join(senderObjects.Path, senderName)) is { } sender && ParseSender(senderName, sender) is { } parsed)
                {
                    senders.Add(parsed);
                }
            }
        }

        if (senders.Count == 0 && searches.Count == 0 && !reader.Has("senders"))
        {
            problems.Info(ConfigProblems.Join(path, "senders"), "none: the reader reads but ships nothing and has no searches");
        }

        ReportUnknownKeys(reader, path);
        return new ReaderConfig
        {
            Name = name,
            Senders = senders,
            InitialPosition = initialPosition,
            JournalPath = journalPath,
            JournalFiles = journalFiles,
            JournalNamespace = journalNamespace,
            JournalFlags = flags,
            UnitsToMatch = units,
            Match = match,
            Searches = searches,
            SecretFilters = secretFilters,
            SecretFilterMetrics = secretFilterMetrics,
            ThresholdForMetricEmit = threshold,
        };
    }

    internal static string FlagNames(JournalOpenFlags flags)
    {
        if (flags == JournalOpenFlags.None)
        {
            return "no flags";
        }

        var names = JournalFlagNames.Where(f => f.Name != "SYSTEM_ONLY" && flags.HasFlag(f.Flag)).Select(f => f.Name).ToList();
        return string.Join(" | ", names);
    }

    private JournalOpenFlags? ParseJournalFlags(JsonObjectView reader)
    {
        var path = ConfigProblems.Join(reader.Path, "journal_flags");
        if (reader.Get("journal_flags") is not { } value)
        {
            return null;
        }

        const int allFlags = 31;
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt32(out var number) && number is >= 0 and <= allFlags)
            {
                return (JournalOpenFlags)number;
            }

            problems.Error(path, $"must be a list of flag names or an integer from 0 to {allFlags}, not {value.GetRawText()}");
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Error(path, $"must be a list of flag names (LOCAL_ONLY, RUNTIME_ONLY, SYSTEM, CURRENT_USER, OS_ROOT) or an integer, not {Describe(value)}");
            return null;
        }

        var flags = JournalOpenFlags.None;
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = ConfigProblems.Index(path, index++);
            if (item.ValueKind != JsonValueKind.String)
            {
                problems.Error(itemPath, $"must be a flag name, not {Describe(item)}");
                continue;
            }

            var name = item.GetString()!.Trim();
            var known = JournalFlagNames.FirstOrDefault(f => f.Name == name);
            if (known.Name is null)
            {
                problems.Error(itemPath, $"unknown journal flag '{name}' (known: {string.Join(", ", JournalFlagNames.Select(f => f.Name))})");
                continue;
            }

            flags |= known.Flag;
        }

        return flags;
    }

    private InitialPosition ParseInitialPosition(JsonObjectView reader)
    {
        var path = ConfigProblems.Join(reader.Path, "initial_position");
        if (reader.Get("initial_position") is not { } value)
        {
            return InitialPosition.Default;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String when value.GetString() == "head":
                return InitialPosition.Head;
            case JsonValueKind.String when value.GetString() == "tail":
                return InitialPosition.Tail;
            case JsonValueKind.Number when value.TryGetInt64(out var seconds) && seconds >= 0:
                return new InitialPosition(InitialPositionKind.MonotonicSeconds, seconds);
            case JsonValueKind.True or JsonValueKind.False:
                var asInt = value.ValueKind == JsonValueKind.True ? 1 : 0;
                problems.Warning(path, $"{value.GetRawText()} is taken as the integer {asInt}, as by journalpump: start {asInt} s after boot (monotonic time)");
                return new InitialPosition(InitialPositionKind.MonotonicSeconds, asInt);
            default:
                problems.Error(path, $"must be \"head\", \"tail\" or a non-negative integer (seconds of monotonic time in the current boot), not {Show(value)}");
                return InitialPosition.Default;
        }
    }

    private int ParseThreshold(JsonObjectView reader)
    {
        var path = ConfigProblems.Join(reader.Path, "threshold_for_metric_emit");
        if (reader.Get("threshold_for_metric_emit") is not { } value)
        {
            return ReaderConfig.DefaultThresholdForMetricEmit;
        }

        // Upstream passes the value through int(): "5" works, 2.9 becomes 2.
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetInt32(out var number):
                return number;
            case JsonValueKind.Number when value.TryGetDouble(out var real) && double.IsFinite(real) && Math.Abs(real) < int.MaxValue:
                return (int)Math.Truncate(real);
            case JsonValueKind.String when int.TryParse(value.GetString()!.Trim().Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            case JsonValueKind.True or JsonValueKind.False:
                return value.ValueKind == JsonValueKind.True ? 1 : 0;
            default:
                problems.Error(path, $"must be an integer number of seconds, not {Show(value)}");
                return ReaderConfig.DefaultThresholdForMetricEmit;
        }
    }

    private List<SearchConfig> ParseSearches(JsonObjectView reader)
    {
        var result = new List<SearchConfig>();
        var path = ConfigProblems.Join(reader.Path, "searches");
        if (reader.Get("searches") is not { } value)
        {
            return result;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Error(path, $"must be a list of searches, not {Describe(value)}");
            return result;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = ConfigProblems.Index(path, index++);
            if (AsObject(item, itemPath) is not { } search)
            {
                continue;
            }

            var name = String(search, "name", required: "required: the search's metric name");
            if (name is not null && !names.Add(name))
            {
                problems.Warning(ConfigProblems.Join(itemPath, "name"), $"another search is also named '{name}'; their hits are counted together");
            }

            var fields = new List<KeyValuePair<string, string>>();
            var groupNames = new HashSet<string>(StringComparer.Ordinal);
            if (Object(search, "fields") is { } fieldObject)
            {
                foreach (var (field, pattern) in fieldObject.Members)
                {
                    var fieldPath = ConfigProblems.Join(fieldObject.Path, field);
                    if (pattern.ValueKind != JsonValueKind.String)
                    {
                        problems.Error(fieldPath, $"must be a string (a regular expression), not {Describe(pattern)}");
                        continue;
                    }

                    var text = pattern.GetString()!;
                    if (options.ValidatePattern(text) is { } patternProblem)
                    {
                        problems.Error(fieldPath, patternProblem);
                    }

                    if (RenamedTrustedFields.Contains(field))
                    {
                        var raw = field == "REALTIME_TIMESTAMP" ? "__REALTIME_TIMESTAMP" : "_" + field;
                        problems.Warning(fieldPath, $"searches use raw journal field names: '{field}' is normally absent, did you mean '{raw}'?");
                    }

                    foreach (Match group in NamedGroup.Matches(text))
                    {
                        groupNames.Add(group.Groups[1].Value);
                    }

                    fields.Add(new(field, text));
                }
            }

            var tags = new List<SearchTag>();
            if (Object(search, "tags") is { } tagObject)
            {
                foreach (var (tag, tagValue) in tagObject.Members)
                {
                    if (ParseSearchTag(ConfigProblems.Join(tagObject.Path, tag), tag, tagValue, groupNames) is { } parsed)
                    {
                        tags.Add(parsed);
                    }
                }
            }

            ReportUnknownKeys(search, itemPath);
            result.Add(new SearchConfig(name ?? "", fields, tags));
        }

        return result;
    }

    private SearchTag? ParseSearchTag(string path, string tag, JsonElement value, HashSet<string> groupNames)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Error(path, $"must be a string, not {Describe(value)}");
            return null;
        }

        var text = value.GetString()!;
        if (!text.Contains('(', StringComparison.Ordinal) && !text.Contains(')', StringComparison.Ordinal))
        {
            return new SearchTag(tag, text, null);
        }

        var call = TagFunctionCall.Match(text);
        if (!call.Success)
        {
            problems.Error(path, $"'{text}' contains parentheses but is not a tag function call name(arg[,arg]) in lower case");
            return null;
        }

        var function = call.Groups[1].Value;
        var arguments = call.Groups[2].Value.Split(',');
        if (function != "ip_to_geohash")
        {
            problems.Error(path, $"unknown tag function '{function}' (the only one is ip_to_geohash)");
            return null;
        }

        if (arguments.Length > 2 || arguments.Any(a => a.Length == 0)
            || (arguments.Length == 2 && !(int.TryParse(arguments[1], NumberStyles.None, CultureInfo.InvariantCulture, out var precision) && precision is >= 1 and <= 12)))
        {
            problems.Error(path, $"'{text}': ip_to_geohash takes a captured tag name and an optional precision from 1 to 12");
            return null;
        }

        if (!groupNames.Contains(arguments[0]))
        {
            problems.Warning(path, $"'{text}': no field regex of this search has a named group '{arguments[0]}', so the tag is always empty");
        }

        if (!_hasGeoipDatabase)
        {
            problems.Warning(path, $"'{text}' needs geoip_database, which is not set; the tag will be empty");
        }

        return new SearchTag(tag, text, new SearchTagFunction(function, arguments));
    }

    private List<SecretFilterConfig>? ParseSecretFilters(JsonObjectView reader)
    {
        var path = ConfigProblems.Join(reader.Path, "secret_filters");
        if (reader.Get("secret_filters") is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Error(path, $"must be a list of {{\"pattern\": ..., \"replacement\": ...}} objects, not {Describe(value)}");
            return null;
        }

        var result = new List<SecretFilterConfig>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = ConfigProblems.Index(path, index++);
            if (AsObject(item, itemPath) is not { } filter)
            {
                continue;
            }

            var pattern = String(filter, "pattern", required: "required: the regular expression to redact");
            var replacement = String(filter, "replacement", required: "required: the text that replaces each match");
            var patternValid = true;
            if (pattern is not null && options.ValidatePattern(pattern) is { } patternProblem)
            {
                problems.Error(ConfigProblems.Join(itemPath, "pattern"), patternProblem);
                patternValid = false;
            }

            if (pattern is not null && patternValid && replacement is not null && options.ValidateReplacement(pattern, replacement) is { } replacementProblem)
            {
                problems.Error(ConfigProblems.Join(itemPath, "replacement"), replacementProblem);
            }

            ReportUnknownKeys(filter, itemPath);
            result.Add(new SecretFilterConfig(pattern ?? "", replacement ?? ""));
        }

        return result;
    }
}
