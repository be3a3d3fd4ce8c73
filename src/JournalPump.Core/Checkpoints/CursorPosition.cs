using System.Globalization;

namespace JournalPump.Core.Checkpoints;

/// <summary>
/// What a journal cursor says about its entry's position: the file's sequence-number id (<c>s=</c>), the
/// sequence number (<c>i=</c>) and the wall-clock time (<c>t=</c>). Cursors stay opaque everywhere else.
/// </summary>
internal readonly record struct CursorPosition(string SeqnumId, ulong Seqnum, ulong Realtime)
{
    public static bool TryParse(string? cursor, out CursorPosition position)
    {
        position = default;
        if (string.IsNullOrEmpty(cursor))
        {
            return false;
        }

        string? s = null;
        ulong? i = null, t = null;
        foreach (var part in cursor.Split(';'))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }

            var key = part.AsSpan(0, eq);
            var value = part.AsSpan(eq + 1);
            if (key is "s")
            {
                s = value.ToString();
            }
            else if (key is "i" && ulong.TryParse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong seq))
            {
                i = seq;
            }
            else if (key is "t" && ulong.TryParse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong time))
            {
                t = time;
            }
        }

        if (s is null || i is null || t is null)
        {
            return false;
        }

        position = new CursorPosition(s, i.Value, t.Value);
        return true;
    }

    /// <summary>Orders two positions: by sequence number within one file lineage, else by wall-clock time.</summary>
    public static int Compare(CursorPosition a, CursorPosition b) =>
        string.Equals(a.SeqnumId, b.SeqnumId, StringComparison.Ordinal) ? a.Seqnum.CompareTo(b.Seqnum) : a.Realtime.CompareTo(b.Realtime);
}
