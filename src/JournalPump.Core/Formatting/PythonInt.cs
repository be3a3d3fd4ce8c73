namespace JournalPump.Core.Formatting;

/// <summary>
/// Python's <c>int(bytes)</c> in base 10, without building a big integer: the result is the canonical
/// decimal text (optional <c>-</c>, no leading zeros), which is what <c>json.dumps</c> writes for any size.
/// </summary>
internal static class PythonInt
{
    /// <summary>CPython's <c>sys.int_info.default_max_str_digits</c>: more digits raise <c>ValueError</c>.</summary>
    public const int MaxDigits = 4300;

    /// <summary>
    /// Parses like <c>int(value)</c>: ASCII whitespace around, one optional sign, decimal digits with
    /// single underscores between them, leading zeros allowed, at most 4300 digits.
    /// </summary>
    /// <param name="value">The raw bytes.</param>
    /// <param name="destination">Receives the canonical decimal text; needs <c>value.Length + 1</c> bytes.</param>
    /// <param name="written">Bytes written to <paramref name="destination"/>.</param>
    /// <returns><see langword="false"/> where Python raises <c>ValueError</c>.</returns>
    public static bool TryParse(ReadOnlySpan<byte> value, Span<byte> destination, out int written)
    {
        written = 0;
        int i = 0;
        int end = value.Length;
        while (i < end && IsSpace(value[i]))
        {
            i++;
        }

        while (end > i && IsSpace(value[end - 1]))
        {
            end--;
        }

        bool negative = false;
        if (i < end && (value[i] == (byte)'+' || value[i] == (byte)'-'))
        {
            negative = value[i] == (byte)'-';
            i++;
        }

        if (i >= end || !IsDigit(value[i]))
        {
            // Empty, sign only, or starting with an underscore.
            return false;
        }

        int digits = 0;
        int firstSignificant = -1;
        for (int p = i; p < end; p++)
        {
            byte c = value[p];
            if (IsDigit(c))
            {
                digits++;
                if (firstSignificant < 0 && c != (byte)'0')
                {
                    firstSignificant = p;
                }
            }
            else if (c == (byte)'_')
            {
                // Only between two digits: not doubled, not trailing.
                if (p + 1 >= end || !IsDigit(value[p + 1]))
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        if (digits > MaxDigits)
        {
            return false;
        }

        if (firstSignificant < 0)
        {
            destination[0] = (byte)'0';
            written = 1;
            return true;
        }

        int w = 0;
        if (negative)
        {
            destination[w++] = (byte)'-';
        }

        for (int p = firstSignificant; p < end; p++)
        {
            if (value[p] != (byte)'_')
            {
                destination[w++] = value[p];
            }
        }

        written = w;
        return true;
    }

    /// <summary>CPython's <c>Py_ISSPACE</c>: space, <c>\t \n \v \f \r</c>.</summary>
    private static bool IsSpace(byte c) => c == (byte)' ' || (c >= 0x09 && c <= 0x0d);

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;
}
