using System.Globalization;

namespace JournalPump.Core.Formatting;

/// <summary>Python's <c>repr(float)</c> as <c>json.dumps</c> writes it (<c>allow_nan=True</c>).</summary>
internal static class PythonFloat
{
    /// <summary>Longest output: sign, 17 digits, point, up to 4 zeros after it, or an exponent.</summary>
    public const int MaxLength = 32;

    /// <summary>
    /// Writes the shortest digits that round-trip, in fixed notation when 1e-4 &lt;= |x| &lt; 1e16 (always
    /// with a fractional digit, <c>1700000001.0</c>), else <c>d[.ddd]e±XX</c> (<c>1e-06</c>, <c>1e+16</c>).
    /// </summary>
    /// <returns>Bytes written.</returns>
    public static int Format(double value, Span<byte> destination)
    {
        if (double.IsNaN(value))
        {
            return Ascii(destination, "NaN");
        }

        if (double.IsInfinity(value))
        {
            return Ascii(destination, value > 0 ? "Infinity" : "-Infinity");
        }

        if (value == 0)
        {
            return Ascii(destination, double.IsNegative(value) ? "-0.0" : "0.0");
        }

        if (TryFormatMicroseconds(value, destination, out int written))
        {
            return written;
        }

        // .NET's "R" is the shortest round-trip form too, only laid out differently: take its digits and
        // decimal exponent and lay them out the Python way.
        Span<char> text = stackalloc char[40];
        value.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture);
        text = text[..length];

        int w = 0;
        if (text[0] == '-')
        {
            destination[w++] = (byte)'-';
            text = text[1..];
        }

        int e = text.IndexOfAny('E', 'e');
        int exponent = 0;
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        Span<byte> digits = stackalloc byte[24];
        int n = 0;
        int integerDigits = 0;
        bool seenPoint = false;
        foreach (char c in text)
        {
            if (c == '.')
            {
                seenPoint = true;
                continue;
            }

            if (!seenPoint)
            {
                integerDigits++;
            }

            if (n == 0 && c == '0')
            {
                // Leading zero: shifts the decimal point instead of being a digit.
                integerDigits--;
                continue;
            }

            digits[n++] = (byte)c;
        }

        while (n > 1 && digits[n - 1] == (byte)'0')
        {
            n--;
        }

        // value = 0.d1d2...dn * 10^decpt
        int decpt = integerDigits + exponent;
        if (decpt > -4 && decpt <= 16)
        {
            if (decpt <= 0)
            {
                destination[w++] = (byte)'0';
                destination[w++] = (byte)'.';
                for (int i = 0; i < -decpt; i++)
                {
                    destination[w++] = (byte)'0';
                }

                digits[..n].CopyTo(destination[w..]);
                w += n;
            }
            else if (decpt >= n)
            {
                digits[..n].CopyTo(destination[w..]);
                w += n;
                for (int i = n; i < decpt; i++)
                {
                    destination[w++] = (byte)'0';
                }

                destination[w++] = (byte)'.';
                destination[w++] = (byte)'0';
            }
            else
            {
                digits[..decpt].CopyTo(destination[w..]);
                w += decpt;
                destination[w++] = (byte)'.';
                digits[decpt..n].CopyTo(destination[w..]);
                w += n - decpt;
            }

            return w;
        }

        destination[w++] = digits[0];
        if (n > 1)
        {
            destination[w++] = (byte)'.';
            digits[1..n].CopyTo(destination[w..]);
            w += n - 1;
        }

        int exp = decpt - 1;
        destination[w++] = (byte)'e';
        destination[w++] = exp < 0 ? (byte)'-' : (byte)'+';
        exp = Math.Abs(exp);
        if (exp < 10)
        {
            destination[w++] = (byte)'0';
        }

        exp.TryFormat(destination[w..], out int expLength, default, CultureInfo.InvariantCulture);
        return w + expLength;
    }

    /// <summary>
    /// The fast path for a whole number of microseconds (the timestamps the converters produce, <c>n / 1e6</c>)
    /// with 1e-4 &lt;= |x| &lt; 2^32: writes <c>n</c> with the point six digits from the right, trailing zeros
    /// dropped, which is exactly what the general path writes for those values.
    /// </summary>
    /// <remarks>
    /// Why it is the shortest round-trip form: <c>n &lt; 2^53</c> converts exactly and the division is correctly
    /// rounded, so when <c>n / 1e6 == x</c> the decimal <c>n·10^-6</c> reads back as <c>x</c>. Any other decimal
    /// with no more significant digits at that magnitude is a different multiple of 10^-6, at least 10^-6 away,
    /// while every decimal that reads back as <c>x</c> lies in an interval one ulp wide, and below 2^32 an ulp is
    /// at most 2^-21 &lt; 10^-6. So the digits are the unique shortest ones, and 1e-4 &lt;= |x| &lt; 1e16 is the
    /// range laid out in fixed notation.
    /// </remarks>
    private static bool TryFormatMicroseconds(double value, Span<byte> destination, out int written)
    {
        double magnitude = Math.Abs(value);
        if (!(magnitude >= 1e-4 && magnitude < 4294967296.0))
        {
            written = 0;
            return false;
        }

        long n = (long)Math.Round(magnitude * 1e6);
        if (n / 1e6 != magnitude)
        {
            written = 0;
            return false;
        }

        // n < 2^32 * 10^6 < 10^16: at most 16 digits, laid out right to left with the point before the last six.
        Span<byte> text = stackalloc byte[24];
        int start = text.Length;
        int fractionDigits = 6;
        long rest = n;

        // Trailing zeros of the fraction are dropped, keeping at least one fractional digit.
        while (fractionDigits > 1 && rest % 10 == 0)
        {
            rest /= 10;
            fractionDigits--;
        }

        for (int i = 0; i < fractionDigits; i++)
        {
            text[--start] = (byte)('0' + (int)(rest % 10));
            rest /= 10;
        }

        text[--start] = (byte)'.';
        do
        {
            text[--start] = (byte)('0' + (int)(rest % 10));
            rest /= 10;
        }
        while (rest != 0);

        int w = 0;
        if (value < 0)
        {
            destination[w++] = (byte)'-';
        }

        text[start..].CopyTo(destination[w..]);
        written = w + text.Length - start;
        return true;
    }

    private static int Ascii(Span<byte> destination, string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            destination[i] = (byte)text[i];
        }

        return text.Length;
    }
}
