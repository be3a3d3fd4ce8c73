using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JournalPump.Core.Formatting;

namespace JournalPump.Core.Filtering;

/// <summary>Syslog priorities, as journalpump's <c>unit_log_levels</c> names them (spec 2.5).</summary>
public enum JournalPriority
{
    /// <summary><c>EMERGENCY</c> (0).</summary>
    Emergency = 0,

    /// <summary><c>ALERT</c> (1).</summary>
    Alert = 1,

    /// <summary><c>CRITICAL</c> (2).</summary>
    Critical = 2,

    /// <summary><c>ERROR</c> (3).</summary>
    Error = 3,

    /// <summary><c>WARNING</c> (4).</summary>
    Warning = 4,

    /// <summary><c>NOTICE</c> (5).</summary>
    Notice = 5,

    /// <summary><c>INFO</c> (6).</summary>
    Info = 6,

    /// <summary><c>DEBUG</c> (7).</summary>
    Debug = 7,
}

/// <summary>One <c>{"service_glob": ..., "log_level": ...}</c> rule of a <c>unit_log_levels</c> list.</summary>
public sealed class UnitLogLevelRule
{
    /// <summary>A Python <c>fnmatch</c> glob over the whole unit name (<c>*</c>, <c>?</c>, <c>[seq]</c>, <c>[!seq]</c>; case-sensitive).</summary>
    public required string ServiceGlob { get; init; }

    /// <summary>The most verbose priority kept for matching units.</summary>
    public required JournalPriority LogLevel { get; init; }

    /// <summary>Reads a level name: <c>EMERGENCY</c> ... <c>DEBUG</c>, upper case only.</summary>
    /// <param name="name">The configured name.</param>
    /// <returns>The priority.</returns>
    /// <exception cref="FilterConfigurationException">The name is not one of the eight.</exception>
    public static JournalPriority ParseLevel(string name) => name switch
    {
        "EMERGENCY" => JournalPriority.Emergency,
        "ALERT" => JournalPriority.Alert,
        "CRITICAL" => JournalPriority.Critical,
        "ERROR" => JournalPriority.Error,
        "WARNING" => JournalPriority.Warning,
        "NOTICE" => JournalPriority.Notice,
        "INFO" => JournalPriority.Info,
        "DEBUG" => JournalPriority.Debug,
        _ => throw new FilterConfigurationException(
            $"unknown log_level '{name}': expected EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO or DEBUG (upper case)"),
    };
}

/// <summary>
/// A sender's <c>unit_log_level</c> (spec 5.6): drops a record when <b>any</b> rule whose glob matches the
/// record's <c>SYSTEMD_UNIT</c> has a level lower than the record's <c>PRIORITY</c>, so the strictest
/// matching rule wins whatever the order (journalpump's code; its README's "first match wins" is wrong).
/// </summary>
/// <remarks>
/// A record passes when it has no <c>SYSTEMD_UNIT</c>, when its <c>PRIORITY</c> is missing or falsy (0,
/// empty), when <c>PRIORITY</c> is not an integer (upstream raises; ours keeps it), or when there are no
/// rules. The check runs on the record after <c>extra_field_values</c> are merged, so give the sender's
/// extra fields to the constructor. A repeated <c>SYSTEMD_UNIT</c> is dropped when any of its values is.
/// Thread-safe; decisions per unit name are cached (up to 4096 names), so the check allocates nothing once
/// a unit has been seen.
/// </remarks>
public sealed class UnitLogLevelFilter
{
    private const int CacheLimit = 4096;
    private const int NoRule = int.MaxValue;
    private static readonly byte[] UnitKey = "SYSTEMD_UNIT"u8.ToArray();
    private static readonly byte[] PriorityKey = "PRIORITY"u8.ToArray();

    private readonly (Regex Glob, int Level)[] _rules;
    private readonly ConcurrentDictionary<string, int> _strictest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Override _unitOverride;
    private readonly string? _unit;
    private readonly Override _priorityOverride;
    private readonly long _priority;

    /// <summary>Creates the filter.</summary>
    /// <param name="rules">The rules, in config order (order does not change the outcome).</param>
    /// <param name="extraFieldValues">The sender's <c>extra_field_values</c>, which are merged before this check; a <c>SYSTEMD_UNIT</c> or <c>PRIORITY</c> there replaces the entry's.</param>
    /// <exception cref="FilterConfigurationException">A rule has no glob.</exception>
    public UnitLogLevelFilter(IEnumerable<UnitLogLevelRule> rules, JsonObject? extraFieldValues = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var compiled = new List<(Regex, int)>();
        foreach (var rule in rules)
        {
            ArgumentNullException.ThrowIfNull(rule);
            if (rule.ServiceGlob is null)
            {
                throw new FilterConfigurationException("unit_log_levels rule has no 'service_glob'");
            }

            if (!Enum.IsDefined(rule.LogLevel))
            {
                throw new FilterConfigurationException($"unit_log_levels rule '{rule.ServiceGlob}' has an unknown log level {(int)rule.LogLevel}");
            }

            compiled.Add((Glob.ToRegex(rule.ServiceGlob), (int)rule.LogLevel));
        }

        _rules = [.. compiled];
        _lookup = _strictest.GetAlternateLookup<ReadOnlySpan<char>>();

        if (extraFieldValues is not null && extraFieldValues.TryGetPropertyValue("SYSTEMD_UNIT", out var unit))
        {
            (_unitOverride, _unit) = unit?.GetValueKind() == JsonValueKind.String ? (Override.Value, unit.GetValue<string>()) : (Override.Pass, null);
        }

        if (extraFieldValues is not null && extraFieldValues.TryGetPropertyValue("PRIORITY", out var priority))
        {
            (_priorityOverride, _priority) = PriorityFromJson(priority);
        }
    }

    private enum Override
    {
        None,
        Value,
        Pass,
    }

    /// <summary>Whether the sender gets the record.</summary>
    /// <param name="record">The base entry (after secret filters).</param>
    /// <returns><see langword="true"/> to send it.</returns>
    public bool Includes(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_rules.Length == 0 || _unitOverride == Override.Pass || _priorityOverride == Override.Pass)
        {
            return true;
        }

        long priority;
        if (_priorityOverride == Override.Value)
        {
            priority = _priority;
        }
        else if (!TryGetPriority(record, out priority))
        {
            return true;
        }

        if (priority <= 0)
        {
            // 0 is falsy (always passes); no level is below a negative priority.
            return true;
        }

        if (_unitOverride == Override.Value)
        {
            return priority <= StrictestLevel(_unit.AsSpan());
        }

        int index = record.IndexOf(UnitKey);
        if (index < 0)
        {
            return true;
        }

        var field = record[index];
        Span<char> stack = stackalloc char[256];
        for (int i = 0; i < field.Count; i++)
        {
            var value = field[i];
            if (value.Kind == JournalValueKind.Bytes)
            {
                // fnmatch sees the bytes' repr text.
                if (priority > StrictestLevel(PythonJson.BytesLiteralText(value.Bytes)))
                {
                    return false;
                }

                continue;
            }

            if (value.Kind != JournalValueKind.Text)
            {
                continue;
            }

            int max = Encoding.UTF8.GetMaxCharCount(value.Bytes.Length);
            char[]? rented = null;
            Span<char> chars = max <= stack.Length ? stack : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(max));
            int n = Encoding.UTF8.GetChars(value.Bytes, chars);
            int level = StrictestLevel(chars[..n]);
            if (rented is not null)
            {
                System.Buffers.ArrayPool<char>.Shared.Return(rented);
            }

            if (priority > level)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryGetPriority(JournalRecord record, out long priority)
    {
        priority = 0;
        int index = record.IndexOf(PriorityKey);
        if (index < 0)
        {
            return false;
        }

        var field = record[index];
        if (field.IsList)
        {
            return false;
        }

        var value = field[0];
        return value.Kind == JournalValueKind.Number && ParseCanonical(value.Bytes, out priority);
    }

    // Canonical decimal text (optional '-', digits) to a long, saturating: only the comparison with 0-7 matters.
    private static bool ParseCanonical(ReadOnlySpan<byte> digits, out long value)
    {
        bool negative = digits.Length > 0 && digits[0] == (byte)'-';
        var body = negative ? digits[1..] : digits;
        if (body.Length > 18)
        {
            value = negative ? long.MinValue + 1 : long.MaxValue;
            return true;
        }

        value = 0;
        foreach (byte b in body)
        {
            value = (value * 10) + (b - '0');
        }

        value = negative ? -value : value;
        return true;
    }

    private static (Override, long) PriorityFromJson(JsonNode? node)
    {
        switch (node?.GetValueKind())
        {
            case null or JsonValueKind.Null or JsonValueKind.False:
                return (Override.Pass, 0);
            case JsonValueKind.True:
                return (Override.Value, 1);
            case JsonValueKind.Number:
            {
                double d = double.Parse(node.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
                long truncated = double.IsFinite(d) ? (long)Math.Clamp(Math.Truncate(d), long.MinValue + 1, long.MaxValue) : 0;
                return d == 0 ? (Override.Pass, 0) : (Override.Value, truncated);
            }

            case JsonValueKind.String:
            {
                // int("5") works in Python; anything else is ours to pass.
                byte[] utf8 = Encoding.UTF8.GetBytes(node.GetValue<string>());
                var canonical = new byte[utf8.Length + 1];
                return utf8.Length > 0 && PythonInt.TryParse(utf8, canonical, out int written) && ParseCanonical(canonical.AsSpan(0, written), out long value)
                    ? (Override.Value, value)
                    : (Override.Pass, 0);
            }

            default:
                return (Override.Pass, 0);
        }
    }

    private int StrictestLevel(ReadOnlySpan<char> unit)
    {
        if (_lookup.TryGetValue(unit, out int cached))
        {
            return cached;
        }

        int level = NoRule;
        foreach (var (glob, ruleLevel) in _rules)
        {
            if (ruleLevel < level && glob.IsMatch(unit))
            {
                level = ruleLevel;
            }
        }

        if (_strictest.Count < CacheLimit)
        {
            _lookup.TryAdd(unit, level);
        }

        return level;
    }

    /// <summary>Python's <c>fnmatch.translate</c> as a .NET regex (linear-time engine: globs never backtrack).</summary>
    internal static class Glob
    {
        public static Regex ToRegex(string glob) =>
            new(Translate(glob), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline);

        public static string Translate(string glob)
        {
            var sb = new StringBuilder("^(?:");
            int i = 0;
            int n = glob.Length;
            while (i < n)
            {
                char c = glob[i++];
                if (c == '*')
                {
                    while (i < n && glob[i] == '*')
                    {
                        i++;
                    }

                    sb.Append(".*");
                }
                else if (c == '?')
                {
                    sb.Append('.');
                }
                else if (c == '[')
                {
                    int j = i;
                    if (j < n && glob[j] == '!')
                    {
                        j++;
                    }

                    if (j < n && glob[j] == ']')
                    {
                        j++;
                    }

                    while (j < n && glob[j] != ']')
                    {
                        j++;
                    }

                    if (j >= n)
                    {
                        sb.Append("\\[");
                        continue;
                    }

                    AppendClass(sb, glob[i..j]);
                    i = j + 1;
                }
                else
                {
                    Literal(sb, c);
                }
            }

            return sb.Append(")\\z").ToString();
        }

        private static void AppendClass(StringBuilder sb, string stuff)
        {
            bool negate = stuff.Length > 0 && stuff[0] == '!';
            string body = negate ? stuff[1..] : stuff;
            var items = new StringBuilder();
            for (int k = 0; k < body.Length; k++)
            {
                char lo = body[k];
                // A range needs a '-' that is neither first nor last (after an optional leading '!').
                if (k + 2 < body.Length && body[k + 1] == '-')
                {
                    char hi = body[k + 2];
                    k += 2;
                    if (hi < lo)
                    {
                        continue; // Python 3.9+ drops empty ranges.
                    }

                    items.Append(Hex(lo)).Append('-').Append(Hex(hi));
                    continue;
                }

                items.Append(Hex(lo));
            }

            if (items.Length == 0)
            {
                sb.Append(negate ? "." : "(?!)");
                return;
            }

            sb.Append('[').Append(negate ? "^" : "").Append(items).Append(']');
        }

        private static void Literal(StringBuilder sb, char c)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append(Hex(c));
            }
        }

        private static string Hex(char c) => "\\u" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
    }
}
