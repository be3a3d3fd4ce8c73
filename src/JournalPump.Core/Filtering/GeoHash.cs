namespace JournalPump.Core.Filtering;

/// <summary>The standard base-32 geohash (what upstream's <c>geohash.encode</c> returns).</summary>
internal static class GeoHash
{
    private const string Alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";

    public static string Encode(double latitude, double longitude, int precision)
    {
        double latLo = -90, latHi = 90, lonLo = -180, lonHi = 180;
        var chars = new char[precision];
        bool even = true;
        int bit = 0, ch = 0, written = 0;
        while (written < precision)
        {
            if (even)
            {
                double mid = (lonLo + lonHi) / 2;
                if (longitude > mid)
                {
                    ch |= 16 >> bit;
                    lonLo = mid;
                }
                else
                {
                    lonHi = mid;
                }
            }
            else
            {
                double mid = (latLo + latHi) / 2;
                if (latitude > mid)
                {
                    ch |= 16 >> bit;
                    latLo = mid;
                }
                else
                {
                    latHi = mid;
                }
            }

            even = !even;
            if (bit < 4)
            {
                bit++;
            }
            else
            {
                chars[written++] = Alphabet[ch];
                bit = 0;
                ch = 0;
            }
        }

        return new string(chars);
    }
}
