using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JournalPump.Core.Formatting;

namespace JournalPump.Core.Filtering;

/// <summary>
/// journalpump's <c>match_key</c>/<c>match_value</c> (spec 5.3), at pump or reader level: an entry passes
/// when the base entry's value for <c>match_key</c> equals <c>match_value</c> the way Python's <c>==</c>
/// compares the converted value with the JSON value.
/// </summary>
/// <remarks>
/// The key is the renamed one (<c>SYSTEMD_UNIT</c>; <c>_SYSTEMD_UNIT</c> never matches) and types are
/// not coerced: <c>3</c> matches <c>PRIORITY=3</c>, <c>"3"</c> does not; numbers compare by value as
/// Python's do (<c>3.0</c> equals <c>3</c>, <c>true</c> equals <c>1</c>);
/// a repeated field equals only a JSON array of equal elements. A <see langword="null"/> (or absent)
/// value passes entries that lack the key or hold <c>null</c>. No key (null or empty) passes everything.
/// Immutable and thread-safe; <see cref="Matches"/> allocates nothing for text and integer values.
/// </remarks>
public sealed class MatchFilter
{
    private readonly byte[]? _key;
    private readonly Expected _expected;

    /// <summary>Creates the filter.</summary>
    /// <param name="matchKey">The <c>match_key</c>; <see langword="null"/> or empty passes every entry.</param>
    /// <param name="matchValue">The <c>match_value</c>, any JSON; <see langword="null"/> for JSON null or absent.</param>
    public MatchFilter(string? matchKey, JsonNode? matchValue)
    {
        MatchKey = string.IsNullOrEmpty(matchKey) ? null : matchKey;
        _key = MatchKey is null ? null : Encoding.UTF8.GetBytes(MatchKey);
        _expected = Expected.From(matchValue);
    }

    /// <summary>A filter that passes every entry.</summary>
    public static MatchFilter None { get; } = new(null, null);

    /// <summary>The key compared, or <see langword="null"/> when the filter passes everything.</summary>
    public string? MatchKey { get; }

    /// <summary>True when the filter passes every entry.</summary>
    public bool IsEmpty => _key is null;

    /// <summary>Whether the entry passes.</summary>
    /// <param name="record">The base entry.</param>
    /// <returns><see langword="true"/> to keep the entry.</returns>
    public bool Matches(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_key is null)
        {
            return true;
        }

        int index = record.IndexOf(_key);
        if (index < 0)
        {
            return _expected.Kind == ExpectedKind.Null;
        }

        var field = record[index];
        if (field.IsList)
        {
            if (_expected.Kind != ExpectedKind.Array || _expected.Items!.Length != field.Count)
            {
                return false;
            }

            for (int i = 0; i < field.Count; i++)
            {
                if (!_expected.Items[i].Equals(field[i]))
                {
                    return false;
                }
            }

            return true;
        }

        return _expected.Equals(field[0]);
    }

    private enum ExpectedKind
    {
        Null,
        String,
        Number,
        Array,
        Never,
    }

    private sealed class Expected
    {
        private Expected(ExpectedKind kind)
        {
            Kind = kind;
        }

        public ExpectedKind Kind { get; }

        public Expected[]? Items { get; private init; }

        private byte[]? Utf8 { get; init; }

        private string? Text { get; init; }

        // The value's exact decimal text when it is an integer (ints, bools, integral floats).
        private byte[]? IntegralText { get; init; }

        private double Double { get; init; }

        public static Expected From(JsonNode? node)
        {
            if (node is null)
            {
                return new Expected(ExpectedKind.Null);
            }

            switch (node.GetValueKind())
            {
                case JsonValueKind.Null:
                    return new Expected(ExpectedKind.Null);
                case JsonValueKind.String:
                {
                    string text = node.GetValue<string>();
                    return new Expected(ExpectedKind.String) { Text = text, Utf8 = Encoding.UTF8.GetBytes(text) };
                }

                case JsonValueKind.True:
                case JsonValueKind.False:
                {
                    bool value = node.GetValueKind() == JsonValueKind.True;
                    return new Expected(ExpectedKind.Number) { IntegralText = value ? "1"u8.ToArray() : "0"u8.ToArray(), Double = value ? 1 : 0 };
                }

                case JsonValueKind.Number:
                {
                    string raw = node.ToJsonString();
                    if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
                    {
                        // Python's json makes an int: exact, any size.
                        var integer = BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                        return new Expected(ExpectedKind.Number) { IntegralText = Encoding.ASCII.GetBytes(integer.ToString(CultureInfo.InvariantCulture)), Double = (double)integer };
                    }

                    double d = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
                    byte[]? integral = double.IsFinite(d) && Math.Floor(d) == d
                        ? Encoding.ASCII.GetBytes(new BigInteger(d).ToString(CultureInfo.InvariantCulture))
                        : null;
                    return new Expected(ExpectedKind.Number) { IntegralText = integral, Double = d };
                }

                case JsonValueKind.Array:
                    return new Expected(ExpectedKind.Array) { Items = [.. node.AsArray().Select(From)] };
                default:
                    return new Expected(ExpectedKind.Never);
            }
        }

        public bool Equals(JournalValue value)
        {
            switch (value.Kind)
            {
                case JournalValueKind.Null:
                    return Kind == ExpectedKind.Null;
                case JournalValueKind.Text:
                    return Kind == ExpectedKind.String && value.Bytes.SequenceEqual(Utf8);
                case JournalValueKind.Bytes:
                    // The base entry holds the bytes' repr text.
                    return Kind == ExpectedKind.String && string.Equals(PythonJson.BytesLiteralText(value.Bytes), Text, StringComparison.Ordinal);
                case JournalValueKind.Number:
                    return Kind == ExpectedKind.Number && IntegralText is not null && value.Bytes.SequenceEqual(IntegralText);
                case JournalValueKind.Seconds:
                    if (Kind != ExpectedKind.Number)
                    {
                        return false;
                    }

                    if (IntegralText is not null && double.IsFinite(value.Seconds) && Math.Floor(value.Seconds) == value.Seconds)
                    {
                        // Python compares int and float exactly.
                        return Encoding.ASCII.GetBytes(new BigInteger(value.Seconds).ToString(CultureInfo.InvariantCulture)).AsSpan().SequenceEqual(IntegralText);
                    }

                    return IntegralText is null && value.Seconds == Double;
                default:
                    return false;
            }
        }
    }
}
