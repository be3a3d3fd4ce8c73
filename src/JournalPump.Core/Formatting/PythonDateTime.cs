namespace JournalPump.Core.Formatting;

/// <summary>
/// <c>datetime.datetime.utcfromtimestamp(seconds).isoformat()</c>, which journalpump writes as
/// <c>timestamp</c>: the float is split with <c>modf</c>, the fraction scaled to microseconds and rounded
/// half to even (CPython's <c>_PyTime_ROUND_HALF_EVEN</c>), so far-future values show the float's
/// precision loss exactly as upstream does.
/// </summary>
internal static class PythonDateTime
{
    /// <summary><c>YYYY-MM-DDTHH:MM:SS.ffffff</c>, with room for a five-digit year.</summary>
    public const int MaxLength = 27;

    /// <summary>Writes the ISO text (no zone suffix; <c>.ffffff</c> only when the microseconds are non-zero).</summary>
    /// <returns>Bytes written.</returns>
    public static int FormatUtcFromTimestamp(double seconds, Span<byte> destination)
    {
        double integral = Math.Truncate(seconds);
        double fraction = Math.Round((seconds - integral) * 1e6, MidpointRounding.ToEven);
        if (fraction >= 1e6)
        {
            fraction -= 1e6;
            integral += 1;
        }
        else if (fraction < 0)
        {
            fraction += 1e6;
            integral -= 1;
        }

        long totalSeconds = (long)integral;
        int microseconds = (int)fraction;
        long days = Math.DivRem(totalSeconds, 86400L, out long secondOfDay);
        if (secondOfDay < 0)
        {
            secondOfDay += 86400;
            days--;
        }

        CivilFromDays(days, out long year, out int month, out int day);
        int w = 0;
        w += Digits(destination[w..], year, 4);
        destination[w++] = (byte)'-';
        w += Digits(destination[w..], month, 2);
        destination[w++] = (byte)'-';
        w += Digits(destination[w..], day, 2);
        destination[w++] = (byte)'T';
        w += Digits(destination[w..], secondOfDay / 3600, 2);
        destination[w++] = (byte)':';
        w += Digits(destination[w..], secondOfDay / 60 % 60, 2);
        destination[w++] = (byte)':';
        w += Digits(destination[w..], secondOfDay % 60, 2);
        if (microseconds != 0)
        {
            destination[w++] = (byte)'.';
            w += Digits(destination[w..], microseconds, 6);
        }

        return w;
    }

    // Howard Hinnant's days-to-civil algorithm (proleptic Gregorian, like Python's datetime).
    private static void CivilFromDays(long z, out long year, out int month, out int day)
    {
        z += 719468;
        long era = (z >= 0 ? z : z - 146096) / 146097;
        long doe = z - (era * 146097);
        long yoe = (doe - (doe / 1460) + (doe / 36524) - (doe / 146096)) / 365;
        long doy = doe - ((365 * yoe) + (yoe / 4) - (yoe / 100));
        long mp = ((5 * doy) + 2) / 153;
        day = (int)(doy - (((153 * mp) + 2) / 5) + 1);
        month = (int)(mp < 10 ? mp + 3 : mp - 9);
        year = yoe + (era * 400) + (month <= 2 ? 1 : 0);
    }

    private static int Digits(Span<byte> destination, long value, int width)
    {
        int length = 1;
        for (long rest = value / 10; rest > 0; rest /= 10)
        {
            length++;
        }

        length = Math.Max(width, length);
        for (int i = length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        return length;
    }
}
