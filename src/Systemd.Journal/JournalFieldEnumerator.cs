using static Interop.Libsystemd;

namespace Systemd.Journal;

/// <summary>
/// Enumerates the fields of the current entry without allocating; returned by
/// <see cref="Journal.EnumerateFields"/>. Use it in a <c>foreach</c> on the journal's thread.
/// </summary>
public ref struct JournalFieldEnumerator
{
    private readonly Journal _journal;
    private readonly int _version;
    private ReadOnlySpan<byte> _data;
    private int _nameLength;

    internal JournalFieldEnumerator(Journal journal, int version)
    {
        _journal = journal;
        _version = version;
    }

    /// <summary>The current field.</summary>
    public readonly JournalField Current => new(_data, _nameLength);

    /// <summary>Returns this enumerator, so that it works in <c>foreach</c>.</summary>
    /// <returns>This enumerator.</returns>
    public readonly JournalFieldEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next field (<c>sd_journal_enumerate_data</c>).</summary>
    /// <returns><see langword="false"/> after the last field.</returns>
    /// <exception cref="JournalException">The entry's data is corrupted (<c>EBADMSG</c>) or cannot be decompressed.</exception>
    /// <exception cref="InvalidOperationException">The journal moved since the enumeration started.</exception>
    public unsafe bool MoveNext()
    {
        _journal.CheckAccess(_version);
        byte* data;
        nuint length;
        int r = sd_journal_enumerate_data(_journal.RawHandle, &data, &length);
        if (r <= 0)
        {
            if (r < 0)
            {
                JournalException.Throw(-r, "sd_journal_enumerate_data");
            }

            _data = default;
            return false;
        }

        _data = new ReadOnlySpan<byte>(data, checked((int)length));
        int eq = _data.IndexOf((byte)'=');
        if (eq < 0)
        {
            // libsystemd validates that stored data has a '=': a data object without one is corruption.
            JournalException.Throw(ErrnoValues.EBADMSG, "sd_journal_enumerate_data");
        }

        _nameLength = eq;
        return true;
    }
}
