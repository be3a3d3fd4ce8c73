using System.Buffers;
using System.Text;

namespace JournalPump.Core.Formatting;

/// <summary>
/// String output of Python's <c>json.dumps</c> with its defaults (<c>ensure_ascii=True</c>): pure ASCII,
/// short escapes for <c>" \ \b \f \n \r \t</c>, <c>\u00XX</c> for other controls and DEL, lower-case
/// <c>\uXXXX</c> for every non-ASCII character, surrogate pairs above U+FFFF, <c>/</c> not escaped.
/// <see cref="System.Text.Json.Utf8JsonWriter"/> cannot produce these bytes (upper-case hex, escapes
/// <c>'</c>, <c>+</c>, <c>&lt;</c> and friends, leaves DEL raw), hence a hand-written writer.
/// </summary>
internal static class PythonJson
{
    private static readonly SearchValues<byte> NeedsEscape = SearchValues.Create(BuildNeedsEscape());

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>Upper bound of <see cref="WriteString"/>'s output: one input byte becomes at most six.</summary>
    public static int MaxStringLength(int utf8Length) => (utf8Length * 6) + 2;

    /// <summary>Upper bound of <see cref="WriteBytesLiteral"/>'s output: one input byte becomes at most five.</summary>
    public static int MaxBytesLiteralLength(int length) => (length * 5) + 8;

    /// <summary>Writes <paramref name="utf8"/> (valid UTF-8) as a quoted JSON string.</summary>
    /// <returns>Bytes written.</returns>
    public static int WriteString(ReadOnlySpan<byte> utf8, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        int w = 1;
        while (true)
        {
            int i = utf8.IndexOfAny(NeedsEscape);
            if (i < 0)
            {
                utf8.CopyTo(destination[w..]);
                w += utf8.Length;
                break;
            }

            utf8[..i].CopyTo(destination[w..]);
            w += i;
            byte c = utf8[i];
            if (c < 0x80)
            {
                w += WriteAsciiEscape(c, destination[w..]);
                utf8 = utf8[(i + 1)..];
                continue;
            }

            Rune.DecodeFromUtf8(utf8[i..], out var rune, out int consumed);
            if (rune.IsBmp)
            {
                w += WriteUnicodeEscape(rune.Value, destination[w..]);
            }
            else
            {
                int v = rune.Value - 0x10000;
                w += WriteUnicodeEscape(0xd800 + (v >> 10), destination[w..]);
                w += WriteUnicodeEscape(0xdc00 + (v & 0x3ff), destination[w..]);
            }

            utf8 = utf8[(i + consumed)..];
        }

        destination[w++] = (byte)'"';
        return w;
    }

    /// <summary>
    /// Writes the Python <c>repr()</c> of a <c>bytes</c> object (<c>b'...'</c>, section 4.4) as a quoted JSON
    /// string, in one pass.
    /// </summary>
    /// <returns>Bytes written.</returns>
    public static int WriteBytesLiteral(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        byte quote = raw.Contains((byte)'\'') && !raw.Contains((byte)'"') ? (byte)'"' : (byte)'\'';
        int w = 0;
        destination[w++] = (byte)'"';
        destination[w++] = (byte)'b';
        w += WriteLiteralQuote(quote, destination[w..]);
        foreach (byte c in raw)
        {
            // Each repr escape starts with a backslash, which JSON doubles.
            if (c == (byte)'\\')
            {
                "\\\\\\\\"u8.CopyTo(destination[w..]);
                w += 4;
            }
            else if (c == quote)
            {
                destination[w++] = (byte)'\\';
                destination[w++] = (byte)'\\';
                w += WriteLiteralQuote(quote, destination[w..]);
            }
            else if (c is (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                destination[w++] = (byte)'\\';
                destination[w++] = (byte)'\\';
                destination[w++] = c switch { (byte)'\t' => (byte)'t', (byte)'\n' => (byte)'n', _ => (byte)'r' };
            }
            else if (c < 0x20 || c >= 0x7f)
            {
                destination[w++] = (byte)'\\';
                destination[w++] = (byte)'\\';
                destination[w++] = (byte)'x';
                destination[w++] = Hex[c >> 4];
                destination[w++] = Hex[c & 0xf];
            }
            else if (c == (byte)'"')
            {
                // Only reached when the repr quote is ', so the repr keeps " as is; JSON escapes it.
                destination[w++] = (byte)'\\';
                destination[w++] = (byte)'"';
            }
            else
            {
                destination[w++] = c;
            }
        }

        w += WriteLiteralQuote(quote, destination[w..]);
        destination[w++] = (byte)'"';
        return w;
    }

    /// <summary>Writes the Python <c>repr()</c> of a <c>bytes</c> object as plain text (no JSON escaping).</summary>
    public static string BytesLiteralText(ReadOnlySpan<byte> raw)
    {
        char quote = raw.Contains((byte)'\'') && !raw.Contains((byte)'"') ? '"' : '\'';
        var sb = new StringBuilder(raw.Length + 3);
        sb.Append('b').Append(quote);
        foreach (byte c in raw)
        {
            if (c == (byte)'\\')
            {
                sb.Append("\\\\");
            }
            else if (c == quote)
            {
                sb.Append('\\').Append(quote);
            }
            else if (c == (byte)'\t')
            {
                sb.Append("\\t");
            }
            else if (c == (byte)'\n')
            {
                sb.Append("\\n");
            }
            else if (c == (byte)'\r')
            {
                sb.Append("\\r");
            }
            else if (c < 0x20 || c >= 0x7f)
            {
                sb.Append("\\x").Append((char)Hex[c >> 4]).Append((char)Hex[c & 0xf]);
            }
            else
            {
                sb.Append((char)c);
            }
        }

        return sb.Append(quote).ToString();
    }

    private static int WriteLiteralQuote(byte quote, Span<byte> destination)
    {
        if (quote == (byte)'"')
        {
            destination[0] = (byte)'\\';
            destination[1] = (byte)'"';
            return 2;
        }

        destination[0] = quote;
        return 1;
    }

    private static int WriteAsciiEscape(byte c, Span<byte> destination)
    {
        byte shortForm = c switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\\' => (byte)'\\',
            (byte)'\n' => (byte)'n',
            (byte)'\r' => (byte)'r',
            (byte)'\t' => (byte)'t',
            0x08 => (byte)'b',
            0x0c => (byte)'f',
            _ => 0,
        };
        if (shortForm != 0)
        {
            destination[0] = (byte)'\\';
            destination[1] = shortForm;
            return 2;
        }

        return WriteUnicodeEscape(c, destination);
    }

    private static int WriteUnicodeEscape(int value, Span<byte> destination)
    {
        destination[0] = (byte)'\\';
        destination[1] = (byte)'u';
        destination[2] = Hex[(value >> 12) & 0xf];
        destination[3] = Hex[(value >> 8) & 0xf];
        destination[4] = Hex[(value >> 4) & 0xf];
        destination[5] = Hex[value & 0xf];
        return 6;
    }

    private static byte[] BuildNeedsEscape()
    {
        var list = new List<byte>();
        for (int b = 0; b < 256; b++)
        {
            if (b < 0x20 || b == '"' || b == '\\' || b >= 0x7f)
            {
                list.Add((byte)b);
            }
        }

        return [.. list];
    }
}
