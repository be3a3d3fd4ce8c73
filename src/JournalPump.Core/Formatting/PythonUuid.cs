using System.Buffers;
using System.Text;

namespace JournalPump.Core.Formatting;

/// <summary>
/// journalpump's UUID conversion, <c>str(uuid.UUID(value.decode()))</c>, reproduced step by step:
/// remove every <c>urn:</c>, then every <c>uuid:</c>, strip <c>{</c>/<c>}</c> from both ends, remove every
/// <c>-</c>; exactly 32 code points must remain, and they must parse as Python's <c>int(s, 16)</c>
/// (surrounding whitespace, <c>+</c>, a <c>0x</c> prefix, single underscores and Unicode decimal
/// digits are all accepted there).
/// </summary>
internal static class PythonUuid
{
    /// <summary>Length of the dashed form.</summary>
    public const int FormattedLength = 36;

    private const int StackLimit = 128;

    /// <summary>Converts <paramref name="value"/> to the lower-case dashed form.</summary>
    /// <param name="value">The raw bytes; must be valid UTF-8.</param>
    /// <param name="destination">At least 36 bytes.</param>
    /// <returns><see langword="false"/> where Python raises <c>ValueError</c>.</returns>
    public static bool TryFormat(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        // The journal's own ids (_BOOT_ID, _MACHINE_ID, MESSAGE_ID...) are 32 hex digits: format them directly.
        if (value.Length == 32 && !value.ContainsAnyExcept(HexDigits))
        {
            int w = 0;
            for (int i = 0; i < 32; i++)
            {
                if (i is 8 or 12 or 16 or 20)
                {
                    destination[w++] = (byte)'-';
                }

                byte c = value[i];
                destination[w++] = c is >= (byte)'A' and <= (byte)'F' ? (byte)(c + 32) : c;
            }

            return true;
        }

        return TryFormatSlow(value, destination);
    }

    private static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789abcdefABCDEF"u8);

    private static bool TryFormatSlow(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        // Every code point takes at least one byte, so the byte length bounds the code point count.
        int[]? rented = null;
        Span<int> cp = value.Length <= StackLimit
            ? stackalloc int[StackLimit]
            : (rented = ArrayPool<int>.Shared.Rent(value.Length));
        try
        {
            int n = 0;
            var rest = value;
            while (!rest.IsEmpty)
            {
                if (Rune.DecodeFromUtf8(rest, out var rune, out int consumed) != OperationStatus.Done)
                {
                    return false;
                }

                cp[n++] = rune.Value;
                rest = rest[consumed..];
            }

            var s = cp[..n];
            n = RemoveAll(s, "urn:");
            n = RemoveAll(s[..n], "uuid:");
            int start = 0;
            while (start < n && (s[start] == '{' || s[start] == '}'))
            {
                start++;
            }

            while (n > start && (s[n - 1] == '{' || s[n - 1] == '}'))
            {
                n--;
            }

            s = s[start..n];
            n = RemoveAll(s, "-");
            if (n != 32)
            {
                return false;
            }

            Span<byte> nibbles = stackalloc byte[32];
            if (!TryParseHex(s[..n], nibbles))
            {
                return false;
            }

            int w = 0;
            for (int i = 0; i < 32; i++)
            {
                if (i is 8 or 12 or 16 or 20)
                {
                    destination[w++] = (byte)'-';
                }

                destination[w++] = (byte)"0123456789abcdef"[nibbles[i]];
            }

            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Python <c>str.replace(pattern, "")</c> in place: non-overlapping, left to right.</summary>
    private static int RemoveAll(Span<int> s, string pattern)
    {
        int w = 0;
        int r = 0;
        while (r < s.Length)
        {
            if (Matches(s[r..], pattern))
            {
                r += pattern.Length;
                continue;
            }

            s[w++] = s[r++];
        }

        return w;
    }

    private static bool Matches(ReadOnlySpan<int> s, string pattern)
    {
        if (s.Length < pattern.Length)
        {
            return false;
        }

        for (int i = 0; i < pattern.Length; i++)
        {
            if (s[i] != pattern[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <c>int(s, 16)</c> for a 32-code-point string: CPython first maps non-ASCII whitespace to a space and
    /// Unicode decimal digits to ASCII digits (anything else non-ASCII is invalid), then parses ASCII.
    /// </summary>
    private static bool TryParseHex(ReadOnlySpan<int> s, Span<byte> nibbles)
    {
        Span<int> a = stackalloc int[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            int c = s[i];
            if (c < 127)
            {
                a[i] = c;
            }
            else if (IsPythonUnicodeSpace(c))
            {
                a[i] = ' ';
            }
            else
            {
                var rune = new Rune(c);
                if (!Rune.IsDigit(rune))
                {
                    return false;
                }

                a[i] = '0' + (int)Rune.GetNumericValue(rune);
            }
        }

        int p = 0;
        int end = a.Length;
        while (p < end && IsAsciiSpace(a[p]))
        {
            p++;
        }

        while (end > p && IsAsciiSpace(a[end - 1]))
        {
            end--;
        }

        if (p < end && a[p] == '+')
        {
            p++;
        }

        if (end - p >= 2 && a[p] == '0' && (a[p + 1] == 'x' || a[p + 1] == 'X'))
        {
            p += 2;
            if (p < end && a[p] == '_')
            {
                p++;
            }
        }

        if (p >= end || HexValue(a[p]) < 0)
        {
            return false;
        }

        // Validate and count digits, then place them right-aligned.
        int digits = 0;
        for (int i = p; i < end; i++)
        {
            if (a[i] == '_')
            {
                if (i + 1 >= end || HexValue(a[i + 1]) < 0)
                {
                    return false;
                }
            }
            else if (HexValue(a[i]) < 0)
            {
                return false;
            }
            else
            {
                digits++;
            }
        }

        nibbles.Clear();
        int w = 32 - digits;
        for (int i = p; i < end; i++)
        {
            if (a[i] != '_')
            {
                nibbles[w++] = (byte)HexValue(a[i]);
            }
        }

        return true;
    }

    private static bool IsAsciiSpace(int c) => c == ' ' || (c >= 0x09 && c <= 0x0d);

    /// <summary>Python's <c>str.isspace</c> for code points at or above 127.</summary>
    private static bool IsPythonUnicodeSpace(int c) =>
        c <= 0xffff && char.IsWhiteSpace((char)c);

    private static int HexValue(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
