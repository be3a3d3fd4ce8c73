using System.Runtime.InteropServices;
using System.Text;
using static Interop.Libsystemd;

namespace Systemd.Journal;

/// <summary>
/// A reader of the systemd journal: one <c>sd_journal</c> object from libsystemd.
/// </summary>
/// <remarks>
/// <para>
/// <b>Threads.</b> libsystemd allows an <c>sd_journal</c> object to be used only by the thread that
/// created it, for its whole lifetime, including closing it. A <see cref="Journal"/> is therefore
/// bound to the thread that opened it: every member called from another thread, <see cref="Dispose"/>
/// included, throws <see cref="InvalidOperationException"/>. To read on a background thread and consume
/// elsewhere, open the journal on that thread, or use <see cref="ReadAllAsync"/>, which does exactly that.
/// Always dispose a journal: one that is not disposed stays open until the process ends, because
/// closing it from the finalizer thread would break the same rule.
/// </para>
/// <para>
/// <b>Spans.</b> The spans handed out by <see cref="EnumerateFields"/> and <see cref="TryGetField(ReadOnlySpan{byte}, out ReadOnlySpan{byte})"/>
/// point into libsystemd's memory and are valid only until the next call on this journal. Copy what must
/// live longer, or use <see cref="ReadEntry"/>, which returns an owned snapshot.
/// </para>
/// <para>
/// <b>Errors.</b> A failed libsystemd call throws <see cref="JournalException"/> with the errno and the
/// function name. Expected outcomes are return values: the end of the journal is <see langword="false"/>
/// from <see cref="MoveNext"/>, a missing field is <see langword="false"/> from <see cref="TryGetField(ReadOnlySpan{byte}, out ReadOnlySpan{byte})"/>.
/// </para>
/// <para>
/// <b>Data threshold.</b> The journal is opened with a data threshold of 0, so field values are never
/// truncated, whatever their size or compression. Set <see cref="DataThreshold"/> to change it.
/// </para>
/// </remarks>
public sealed partial class Journal : IDisposable
{
    /// <summary>The native library that the reader loads.</summary>
    public const string LibraryName = Interop.Libraries.Libsystemd;

    private readonly SafeJournalHandle _handle;
    private readonly nint _j;
    private readonly int _ownerThreadId;
    private bool _disposed;

    // Bumped by every call that moves the read position or restarts field enumeration, so that a
    // field enumerator still running from before the move throws instead of returning stale data.
    private int _version;

    private Journal(SafeJournalHandle handle)
    {
        _handle = handle;
        _ownerThreadId = Environment.CurrentManagedThreadId;

        // The journal holds one reference on the handle from open to Dispose, and every call is made
        // on the owner thread, so the handle cannot be released while a call is running: the calls use
        // the raw pointer and skip the per-call reference counting that SafeHandle marshalling adds.
        // The reference also keeps the handle's finalizer from closing a leaked journal on the
        // finalizer thread, which libsystemd forbids (and which could race a call still running).
        bool added = false;
        handle.DangerousAddRef(ref added);
        _j = handle.DangerousGetHandle();
    }

    /// <summary>True when <c>libsystemd.so.0</c> can be loaded on this machine.</summary>
    public static bool IsSupported
    {
        get
        {
            if (!NativeLibrary.TryLoad(LibraryName, typeof(Journal).Assembly, null, out nint library))
            {
                return false;
            }

            NativeLibrary.Free(library);
            return true;
        }
    }

    /// <summary>The managed thread id of the thread that owns this journal.</summary>
    public int OwnerThreadId => _ownerThreadId;

    /// <summary>Opens the local journal (<c>sd_journal_open</c>).</summary>
    /// <param name="flags">Which files to read; <see cref="JournalOpenFlags.LocalOnly"/> by default.</param>
    /// <returns>The open journal, positioned before the first entry.</returns>
    /// <exception cref="JournalException">libsystemd refused to open the journal.</exception>
    /// <exception cref="DllNotFoundException"><c>libsystemd.so.0</c> is not installed.</exception>
    public static unsafe Journal Open(JournalOpenFlags flags = JournalOpenFlags.LocalOnly)
    {
        nint j;
        int r;
        try
        {
            r = sd_journal_open(&j, (int)flags);
        }
        catch (DllNotFoundException e)
        {
            throw LibraryMissing(e);
        }

        return Create(r, j, "sd_journal_open", detail: null);
    }

    /// <summary>Opens the journal of a journald namespace (<c>sd_journal_open_namespace</c>).</summary>
    /// <param name="namespace">The namespace; <see langword="null"/> for the default namespace.</param>
    /// <param name="flags">Which files to read, including <see cref="JournalOpenFlags.AllNamespaces"/> and <see cref="JournalOpenFlags.IncludeDefaultNamespace"/>.</param>
    /// <returns>The open journal, positioned before the first entry.</returns>
    public static unsafe Journal OpenNamespace(string? @namespace, JournalOpenFlags flags = JournalOpenFlags.LocalOnly)
    {
        nint j;
        int r;
        try
        {
            r = sd_journal_open_namespace(&j, @namespace, (int)flags);
        }
        catch (DllNotFoundException e)
        {
            throw LibraryMissing(e);
        }

        return Create(r, j, "sd_journal_open_namespace", @namespace);
    }

    /// <summary>Opens the journal files in a directory (<c>sd_journal_open_directory</c>).</summary>
    /// <param name="path">The directory; with <see cref="JournalOpenFlags.OsRoot"/>, the root of an OS tree.</param>
    /// <param name="flags"><see cref="JournalOpenFlags.None"/>, or <see cref="JournalOpenFlags.OsRoot"/> (and, on newer libsystemd, <see cref="JournalOpenFlags.System"/>/<see cref="JournalOpenFlags.CurrentUser"/>).</param>
    /// <returns>The open journal, positioned before the first entry.</returns>
    public static unsafe Journal OpenDirectory(string path, JournalOpenFlags flags = JournalOpenFlags.None)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        nint j;
        int r;
        try
        {
            r = sd_journal_open_directory(&j, path, (int)flags);
        }
        catch (DllNotFoundException e)
        {
            throw LibraryMissing(e);
        }

        var journal = Create(r, j, "sd_journal_open_directory", path);
        if ((flags & JournalOpenFlags.OsRoot) == 0)
        {
            journal.SetSkippedFiles(FindUnreadableFiles(JournalFilesIn(path)));
        }

        return journal;
    }

    /// <summary>Opens a set of journal files (<c>sd_journal_open_files</c>).</summary>
    /// <param name="paths">The journal files; each must be a readable journal file.</param>
    /// <param name="flags">Must be <see cref="JournalOpenFlags.None"/> on libsystemd before 253.</param>
    /// <returns>The open journal, positioned before the first entry.</returns>
    public static unsafe Journal OpenFiles(IEnumerable<string> paths, JournalOpenFlags flags = JournalOpenFlags.None)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var list = paths.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("At least one journal file is required.", nameof(paths));
        }

        // libsystemd fails the whole open for one bad file: leave such files out and report them.
        var unreadable = FindUnreadableFiles(list);
        if (unreadable.Count == list.Count)
        {
            throw unreadable[0].Error;
        }

        list.RemoveAll(p => unreadable.Exists(u => u.Path == p));

        // One NUL-terminated UTF-8 copy of each path, and a NULL-terminated array of pointers to them.
        var buffers = new byte[list.Count][];
        var handles = new GCHandle[list.Count];
        nint* array = stackalloc nint[list.Count + 1];
        try
        {
            for (int i = 0; i < list.Count; i++)
            {
                ArgumentException.ThrowIfNullOrEmpty(list[i], nameof(paths));
                buffers[i] = NullTerminated(list[i]);
                handles[i] = GCHandle.Alloc(buffers[i], GCHandleType.Pinned);
                array[i] = handles[i].AddrOfPinnedObject();
            }

            array[list.Count] = 0;
            nint j;
            int r;
            try
            {
                r = sd_journal_open_files(&j, (byte**)array, (int)flags);
            }
            catch (DllNotFoundException e)
            {
                throw LibraryMissing(e);
            }

            var journal = Create(r, j, "sd_journal_open_files", string.Join(", ", list));
            journal.SetSkippedFiles(unreadable);
            return journal;
        }
        finally
        {
            foreach (var h in handles)
            {
                if (h.IsAllocated)
                {
                    h.Free();
                }
            }
        }
    }

    private static DllNotFoundException LibraryMissing(DllNotFoundException e) => new(
        $"The systemd journal library {LibraryName} could not be loaded. Install it " +
        "(Debian/Ubuntu: apt-get install libsystemd0; Fedora/RHEL: dnf install systemd-libs).",
        e);

    private static Journal Create(int result, nint j, string function, string? detail)
    {
        if (result < 0)
        {
            throw new JournalException(-result, function, detail);
        }

        var handle = new SafeJournalHandle(j);
        var journal = new Journal(handle);
        journal.DataThreshold = 0;
        journal.RememberUsage();
        return journal;
    }

    /// <summary>
    /// The largest field value that libsystemd returns in full (<c>sd_journal_set_data_threshold</c>);
    /// larger compressed values may be cut. 0, the default here, means no limit.
    /// </summary>
    public unsafe long DataThreshold
    {
        get
        {
            CheckAccess();
            nuint size;
            JournalException.ThrowIfError(sd_journal_get_data_threshold(_j, &size), "sd_journal_get_data_threshold");
            return (long)size;
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            CheckAccess();
            JournalException.ThrowIfError(sd_journal_set_data_threshold(_j, (nuint)value), "sd_journal_set_data_threshold");
        }
    }

    /// <summary>True when runtime journal files (in <c>/run</c>) were found.</summary>
    public bool HasRuntimeFiles
    {
        get
        {
            CheckAccess();
            int r = sd_journal_has_runtime_files(_j);
            JournalException.ThrowIfError(r, "sd_journal_has_runtime_files");
            return r > 0;
        }
    }

    /// <summary>True when persistent journal files (in <c>/var</c>) were found.</summary>
    public bool HasPersistentFiles
    {
        get
        {
            CheckAccess();
            int r = sd_journal_has_persistent_files(_j);
            JournalException.ThrowIfError(r, "sd_journal_has_persistent_files");
            return r > 0;
        }
    }

    // ---------------------------------------------------------------- navigation

    /// <summary>Moves to the next entry (<c>sd_journal_next</c>).</summary>
    /// <returns><see langword="false"/> at the end of the journal.</returns>
    public bool MoveNext()
    {
        CheckAccess();
        _version++;
        int r = sd_journal_next(_j);
        if (r <= 0)
        {
            if (r < 0)
            {
                JournalException.Throw(-r, "sd_journal_next");
            }

            CheckForDroppedFiles();
            return false;
        }

        return true;
    }

    /// <summary>Moves to the previous entry (<c>sd_journal_previous</c>).</summary>
    /// <returns><see langword="false"/> at the start of the journal.</returns>
    public bool MovePrevious()
    {
        CheckAccess();
        _version++;
        int r = sd_journal_previous(_j);
        JournalException.ThrowIfError(r, "sd_journal_previous");
        return r > 0;
    }

    /// <summary>Moves <paramref name="count"/> entries forward, or backward when negative (<c>sd_journal_next_skip</c>, <c>sd_journal_previous_skip</c>).</summary>
    /// <param name="count">How many entries to move.</param>
    /// <returns>How many entries were moved, with the sign of <paramref name="count"/>; less in magnitude at an end of the journal.</returns>
    public long Skip(long count)
    {
        CheckAccess();
        _version++;
        if (count >= 0)
        {
            int r = count == 0 ? 0 : sd_journal_next_skip(_j, (ulong)count);
            JournalException.ThrowIfError(r, "sd_journal_next_skip");
            return r;
        }

        int back = sd_journal_previous_skip(_j, (ulong)(-count));
        JournalException.ThrowIfError(back, "sd_journal_previous_skip");
        return -back;
    }

    /// <summary>Positions before the first entry (<c>sd_journal_seek_head</c>); <see cref="MoveNext"/> then reads it.</summary>
    public void SeekHead()
    {
        CheckAccess();
        _version++;
        JournalException.ThrowIfError(sd_journal_seek_head(_j), "sd_journal_seek_head");
    }

    /// <summary>Positions after the last entry (<c>sd_journal_seek_tail</c>); <see cref="MovePrevious"/> then reads it and <see cref="MoveNext"/> waits for new ones.</summary>
    public void SeekTail()
    {
        CheckAccess();
        _version++;
        JournalException.ThrowIfError(sd_journal_seek_tail(_j), "sd_journal_seek_tail");
    }

    /// <summary>Positions at the first entry at or after a wall-clock time (<c>sd_journal_seek_realtime_usec</c>).</summary>
    /// <param name="microseconds">Microseconds since the Unix epoch.</param>
    public void SeekRealtime(ulong microseconds)
    {
        CheckAccess();
        _version++;
        JournalException.ThrowIfError(sd_journal_seek_realtime_usec(_j, microseconds), "sd_journal_seek_realtime_usec");
    }

    /// <summary>Positions at the first entry at or after a wall-clock time (<c>sd_journal_seek_realtime_usec</c>).</summary>
    /// <param name="time">The time; must not be before the Unix epoch.</param>
    public void SeekRealtime(DateTimeOffset time) => SeekRealtime(ToMicroseconds(time));

    /// <summary>Positions at the first entry of a boot at or after a monotonic time (<c>sd_journal_seek_monotonic_usec</c>).</summary>
    /// <param name="bootId">The boot (<c>_BOOT_ID</c>); <see cref="CurrentBootId"/> for this boot.</param>
    /// <param name="microseconds">Microseconds since that boot started.</param>
    public void SeekMonotonic(Guid bootId, ulong microseconds)
    {
        CheckAccess();
        _version++;
        JournalException.ThrowIfError(sd_journal_seek_monotonic_usec(_j, SdId128.FromGuid(bootId), microseconds), "sd_journal_seek_monotonic_usec");
    }

    /// <summary>
    /// Positions at the entry of a cursor (<c>sd_journal_seek_cursor</c>); the next <see cref="MoveNext"/> reads it.
    /// If that entry no longer exists (its file was rotated away or vacuumed), the journal is positioned
    /// at the nearest entry by sequence number or time: use <see cref="TestCursor"/> after
    /// <see cref="MoveNext"/> to learn whether the entry read is the one the cursor names.
    /// </summary>
    /// <param name="cursor">A cursor from <see cref="GetCursor()"/>.</param>
    /// <exception cref="JournalException">The cursor is malformed (<c>EINVAL</c>).</exception>
    public unsafe void SeekCursor(string cursor)
    {
        ArgumentException.ThrowIfNullOrEmpty(cursor);
        CheckAccess();
        _version++;
        Span<byte> scratch = stackalloc byte[256];
        fixed (byte* c = ToNullTerminated(cursor, scratch))
        {
            JournalException.ThrowIfError(sd_journal_seek_cursor(_j, c), "sd_journal_seek_cursor");
        }
    }

    /// <summary>Tells whether the current entry is the one a cursor names (<c>sd_journal_test_cursor</c>).</summary>
    /// <param name="cursor">A cursor from <see cref="GetCursor()"/>.</param>
    /// <returns><see langword="true"/> when the current entry matches the cursor.</returns>
    /// <exception cref="JournalException">The cursor is malformed (<c>EINVAL</c>), or there is no current entry (<c>EADDRNOTAVAIL</c>).</exception>
    public unsafe bool TestCursor(string cursor)
    {
        ArgumentException.ThrowIfNullOrEmpty(cursor);
        CheckAccess();
        Span<byte> scratch = stackalloc byte[256];
        fixed (byte* c = ToNullTerminated(cursor, scratch))
        {
            int r = sd_journal_test_cursor(_j, c);
            JournalException.ThrowIfError(r, "sd_journal_test_cursor");
            return r > 0;
        }
    }

    /// <summary>The cursor of the current entry (<c>sd_journal_get_cursor</c>): an opaque string that <see cref="SeekCursor"/> returns to.</summary>
    /// <returns>The cursor.</returns>
    /// <exception cref="JournalException">There is no current entry (<c>EADDRNOTAVAIL</c>).</exception>
    public unsafe string GetCursor()
    {
        CheckAccess();
        byte* cursor;
        JournalException.ThrowIfError(sd_journal_get_cursor(_j, &cursor), "sd_journal_get_cursor");
        try
        {
            return Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(cursor));
        }
        finally
        {
            Interop.Libc.free(cursor);
        }
    }

    /// <summary>
    /// Writes the cursor of the current entry as UTF-8 into <paramref name="destination"/>, without
    /// allocating a string (for callers that keep many cursors).
    /// </summary>
    /// <param name="destination">Where the cursor goes; 256 bytes is always enough for libsystemd's cursors.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    /// <exception cref="JournalException">There is no current entry (<c>EADDRNOTAVAIL</c>).</exception>
    public unsafe int GetCursor(Span<byte> destination)
    {
        CheckAccess();
        byte* cursor;
        JournalException.ThrowIfError(sd_journal_get_cursor(_j, &cursor), "sd_journal_get_cursor");
        try
        {
            var text = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(cursor);
            if (!text.TryCopyTo(destination))
            {
                throw new ArgumentException($"The cursor needs {text.Length} bytes.", nameof(destination));
            }

            return text.Length;
        }
        finally
        {
            Interop.Libc.free(cursor);
        }
    }

    /// <summary>The wall-clock time of the current entry (<c>__REALTIME_TIMESTAMP</c>), in microseconds since the Unix epoch.</summary>
    /// <returns>The time in microseconds.</returns>
    public unsafe ulong GetRealtimeMicroseconds()
    {
        CheckAccess();
        ulong usec;
        JournalException.ThrowIfError(sd_journal_get_realtime_usec(_j, &usec), "sd_journal_get_realtime_usec");
        return usec;
    }

    /// <summary>The wall-clock time of the current entry (<c>__REALTIME_TIMESTAMP</c>).</summary>
    /// <returns>The time, with microsecond precision.</returns>
    public DateTimeOffset GetRealtime() => FromMicroseconds(GetRealtimeMicroseconds());

    /// <summary>The monotonic time of the current entry (<c>__MONOTONIC_TIMESTAMP</c>) and the boot it belongs to.</summary>
    /// <returns>The timestamp and boot id.</returns>
    public unsafe JournalMonotonicTimestamp GetMonotonic()
    {
        CheckAccess();
        ulong usec;
        SdId128 boot;
        JournalException.ThrowIfError(sd_journal_get_monotonic_usec(_j, &usec, &boot), "sd_journal_get_monotonic_usec");
        return new JournalMonotonicTimestamp(usec, boot.ToGuid());
    }

    // ---------------------------------------------------------------- fields

    /// <summary>
    /// Enumerates the fields of the current entry without allocating (<c>sd_journal_restart_data</c>,
    /// <c>sd_journal_enumerate_data</c>). Repeated field names come as often as they are stored;
    /// values are raw bytes, binary or not. The spans are valid until the next call on this journal.
    /// </summary>
    /// <returns>An enumerator for <c>foreach</c>.</returns>
    public JournalFieldEnumerator EnumerateFields()
    {
        CheckAccess();
        _version++;
        sd_journal_restart_data(_j);
        return new JournalFieldEnumerator(this, _version);
    }

    /// <summary>Reads one field of the current entry (<c>sd_journal_get_data</c>); with repeated names, the first.</summary>
    /// <param name="name">The field name, for example <c>"MESSAGE"u8</c>.</param>
    /// <param name="value">The value, valid until the next call on this journal.</param>
    /// <returns><see langword="false"/> when the entry has no such field.</returns>
    public unsafe bool TryGetField(scoped ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        CheckAccess();
        if (name.IsEmpty || name.Length > 255 || name.Contains((byte)'='))
        {
            throw new ArgumentException("A journal field name is 1 to 255 bytes without '='.", nameof(name));
        }

        Span<byte> field = stackalloc byte[name.Length + 1];
        name.CopyTo(field);
        field[name.Length] = 0;
        byte* data;
        nuint length;
        int r;
        fixed (byte* f = field)
        {
            r = sd_journal_get_data(_j, f, &data, &length);
        }

        if (r == -ErrnoValues.ENOENT)
        {
            value = default;
            return false;
        }

        JournalException.ThrowIfError(r, "sd_journal_get_data");
        var all = new ReadOnlySpan<byte>(data, checked((int)length));
        value = all[(name.Length + 1)..];
        return true;
    }

    /// <summary>Reads one field of the current entry (<c>sd_journal_get_data</c>); with repeated names, the first.</summary>
    /// <param name="name">The field name, for example <c>MESSAGE</c>.</param>
    /// <param name="value">The value, valid until the next call on this journal.</param>
    /// <returns><see langword="false"/> when the entry has no such field.</returns>
    public bool TryGetField(string name, out ReadOnlySpan<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Span<byte> scratch = stackalloc byte[256];
        return TryGetField(ToNullTerminated(name, scratch)[..^1], out value);
    }

    /// <summary>Reads one field of the current entry as a string (invalid UTF-8 is replaced by U+FFFD).</summary>
    /// <param name="name">The field name.</param>
    /// <returns>The value, or <see langword="null"/> when the entry has no such field.</returns>
    public string? GetFieldString(string name) => TryGetField(name, out var value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>Copies the current entry, all its fields and timestamps, into an owned <see cref="JournalEntry"/>.</summary>
    /// <param name="includeCursor">Also take the entry's cursor (costs a native call and a string).</param>
    /// <returns>The snapshot.</returns>
    public JournalEntry ReadEntry(bool includeCursor = false)
    {
        ulong realtime = GetRealtimeMicroseconds();
        var monotonic = GetMonotonic();
        string? cursor = includeCursor ? GetCursor() : null;
        var builder = new JournalEntry.Builder();
        foreach (var field in EnumerateFields())
        {
            builder.Add(field.Data, field.Name.Length);
        }

        return builder.Build(realtime, monotonic, cursor);
    }

    // ---------------------------------------------------------------- matches

    /// <summary>Adds a match <c>FIELD=value</c>, compared byte for byte (<c>sd_journal_add_match</c>).</summary>
    /// <param name="fieldAndValue">The bytes <c>FIELD=value</c>.</param>
    /// <remarks>Matches on different fields are AND-ed, matches on the same field are OR-ed; see <see cref="AddDisjunction"/> and <see cref="AddConjunction"/>.</remarks>
    public unsafe void AddMatch(ReadOnlySpan<byte> fieldAndValue)
    {
        CheckAccess();
        int eq = fieldAndValue.IndexOf((byte)'=');
        if (eq <= 0)
        {
            throw new ArgumentException("A match is FIELD=value with a non-empty field name.", nameof(fieldAndValue));
        }

        _version++;
        fixed (byte* p = fieldAndValue)
        {
            JournalException.ThrowIfError(sd_journal_add_match(_j, p, (nuint)fieldAndValue.Length), "sd_journal_add_match");
        }
    }

    /// <summary>Adds a match on a field and a UTF-8 value.</summary>
    /// <param name="field">The field name, for example <c>_SYSTEMD_UNIT</c>.</param>
    /// <param name="value">The value.</param>
    public void AddMatch(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        AddMatch(field, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Adds a match on a field and raw bytes.</summary>
    /// <param name="field">The field name.</param>
    /// <param name="value">The value bytes.</param>
    public void AddMatch(string field, ReadOnlySpan<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        int nameLength = Encoding.UTF8.GetByteCount(field);
        byte[] match = new byte[nameLength + 1 + value.Length];
        Encoding.UTF8.GetBytes(field, match);
        match[nameLength] = (byte)'=';
        value.CopyTo(match.AsSpan(nameLength + 1));
        AddMatch(match);
    }

    /// <summary>Starts a new group of matches OR-ed with the previous ones (<c>sd_journal_add_disjunction</c>).</summary>
    public void AddDisjunction()
    {
        CheckAccess();
        _version++;
        JournalException.ThrowIfError(sd_journal_add_disjunction(_j), "sd_journal_add_disjunction");
    }

    /// <summary>Starts a new group of matches AND-ed with the previous ones (<c>sd_journal_add_conjunction</c>).</summary>
    public void AddConjunction()
    {
        CheckAccess();
        _version++;
        JournalException.ThrowIfError(sd_journal_add_conjunction(_j), "sd_journal_add_conjunction");
    }

    /// <summary>Removes every match (<c>sd_journal_flush_matches</c>).</summary>
    public void FlushMatches()
    {
        CheckAccess();
        _version++;
        sd_journal_flush_matches(_j);
    }

    // ---------------------------------------------------------------- change notification

    /// <summary>
    /// Waits until the journal changes or the timeout passes (<c>sd_journal_wait</c>). After
    /// <see cref="JournalChange.Invalidate"/> (files rotated, added or removed) simply go on reading.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <returns>What changed; <see cref="JournalChange.None"/> on timeout.</returns>
    public JournalChange Wait(TimeSpan timeout)
    {
        CheckAccess();
        ulong usec = timeout == Timeout.InfiniteTimeSpan
            ? ulong.MaxValue
            : (ulong)Math.Max(0, timeout.Ticks / TimeSpan.TicksPerMicrosecond);
        int r = sd_journal_wait(_j, usec);
        if (r == -ErrnoValues.EINTR)
        {
            return JournalChange.None;
        }

        JournalException.ThrowIfError(r, "sd_journal_wait");
        if (r != SD_JOURNAL_NOP)
        {
            RememberUsage();
        }

        return (JournalChange)r;
    }

    /// <summary>
    /// A file descriptor that becomes readable when the journal changes (<c>sd_journal_get_fd</c>), for an
    /// external poll loop; after it fires call <see cref="Process"/>. Owned by the journal: do not close it.
    /// </summary>
    /// <returns>The descriptor.</returns>
    public int GetFileDescriptor()
    {
        CheckAccess();
        int fd = sd_journal_get_fd(_j);
        JournalException.ThrowIfError(fd, "sd_journal_get_fd");
        return fd;
    }

    /// <summary>Processes pending change notifications (<c>sd_journal_process</c>) after <see cref="GetFileDescriptor"/> fired.</summary>
    /// <returns>What changed.</returns>
    public JournalChange Process()
    {
        CheckAccess();
        int r = sd_journal_process(_j);
        JournalException.ThrowIfError(r, "sd_journal_process");
        if (r != SD_JOURNAL_NOP)
        {
            RememberUsage();
        }

        return (JournalChange)r;
    }

    // ---------------------------------------------------------------- tooling queries

    /// <summary>Every field name used in the open journal files (<c>sd_journal_enumerate_fields</c>).</summary>
    /// <returns>The names, in the order libsystemd enumerates them.</returns>
    public unsafe IReadOnlyList<string> GetFieldNames()
    {
        CheckAccess();
        var names = new List<string>();
        sd_journal_restart_fields(_j);
        while (true)
        {
            byte* name;
            int r = sd_journal_enumerate_fields(_j, &name);
            JournalException.ThrowIfError(r, "sd_journal_enumerate_fields");
            if (r == 0)
            {
                return names;
            }

            names.Add(Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name)));
        }
    }

    /// <summary>The distinct values of a field across the open journal files, ignoring matches (<c>sd_journal_query_unique</c>).</summary>
    /// <param name="field">The field name.</param>
    /// <returns>Each distinct value once, as raw bytes.</returns>
    public unsafe IReadOnlyList<byte[]> GetUniqueValues(string field)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        CheckAccess();
        Span<byte> scratch = stackalloc byte[256];
        fixed (byte* f = ToNullTerminated(field, scratch))
        {
            JournalException.ThrowIfError(sd_journal_query_unique(_j, f), "sd_journal_query_unique");
        }

        int prefix = Encoding.UTF8.GetByteCount(field) + 1;
        var values = new List<byte[]>();
        sd_journal_restart_unique(_j);
        while (true)
        {
            byte* data;
            nuint length;
            int r = sd_journal_enumerate_unique(_j, &data, &length);
            JournalException.ThrowIfError(r, "sd_journal_enumerate_unique");
            if (r == 0)
            {
                return values;
            }

            values.Add(new ReadOnlySpan<byte>(data, checked((int)length))[prefix..].ToArray());
        }
    }

    /// <summary>The disk space used by the open journal files, in bytes (<c>sd_journal_get_usage</c>).</summary>
    /// <returns>The size in bytes.</returns>
    public unsafe long GetDiskUsage()
    {
        CheckAccess();
        ulong bytes;
        JournalException.ThrowIfError(sd_journal_get_usage(_j, &bytes), "sd_journal_get_usage");
        return (long)bytes;
    }

    /// <summary>The wall-clock times of the oldest and newest entries (<c>sd_journal_get_cutoff_realtime_usec</c>).</summary>
    /// <returns>The range, or <see langword="null"/> when the journal has no entries.</returns>
    public unsafe JournalTimeRange? GetRealtimeCutoff()
    {
        CheckAccess();
        ulong from, to;
        int r = sd_journal_get_cutoff_realtime_usec(_j, &from, &to);
        JournalException.ThrowIfError(r, "sd_journal_get_cutoff_realtime_usec");
        return r == 0 ? null : new JournalTimeRange(from, to);
    }

    /// <summary>The monotonic times of the oldest and newest entries of a boot (<c>sd_journal_get_cutoff_monotonic_usec</c>).</summary>
    /// <param name="bootId">The boot.</param>
    /// <returns>The range, or <see langword="null"/> when the journal has no entries of that boot.</returns>
    public unsafe JournalTimeRange? GetMonotonicCutoff(Guid bootId)
    {
        CheckAccess();
        ulong from, to;
        int r = sd_journal_get_cutoff_monotonic_usec(_j, SdId128.FromGuid(bootId), &from, &to);
        JournalException.ThrowIfError(r, "sd_journal_get_cutoff_monotonic_usec");
        return r == 0 ? null : new JournalTimeRange(from, to);
    }

    /// <summary>The boot id of the running system, from <c>/proc/sys/kernel/random/boot_id</c>.</summary>
    /// <returns>The boot id.</returns>
    public static Guid CurrentBootId() =>
        Guid.Parse(File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim());

    // ---------------------------------------------------------------- lifetime

    /// <summary>Closes the journal (<c>sd_journal_close</c>). Must be called on the owner thread.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        ThrowIfWrongThread();
        _disposed = true;
        _handle.DangerousRelease();
        _handle.Dispose();
    }

    internal nint RawHandle => _j;

    internal int Version => _version;

    internal void CheckAccess()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfWrongThread();
    }

    internal void CheckAccess(int version)
    {
        CheckAccess();
        if (version != _version)
        {
            throw new InvalidOperationException("The journal moved since this field enumeration started; enumerate the fields again.");
        }
    }

    private void ThrowIfWrongThread()
    {
        if (Environment.CurrentManagedThreadId != _ownerThreadId)
        {
            ThrowWrongThread();
        }
    }

    private void ThrowWrongThread() => throw new InvalidOperationException(
        $"A journal may only be used by the thread that opened it (thread {_ownerThreadId}); this is thread {Environment.CurrentManagedThreadId}. " +
        "libsystemd does not allow an sd_journal object to move between threads: open it on the thread that reads it, or use Journal.ReadAllAsync.");

    private static byte[] NullTerminated(string s)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    private static ReadOnlySpan<byte> ToNullTerminated(string s, Span<byte> scratch)
    {
        int max = Encoding.UTF8.GetMaxByteCount(s.Length) + 1;
        if (max > scratch.Length)
        {
            return NullTerminated(s);
        }

        int n = Encoding.UTF8.GetBytes(s, scratch);
        scratch[n] = 0;
        return scratch[..(n + 1)];
    }

    internal static ulong ToMicroseconds(DateTimeOffset time)
    {
        long ticks = (time - DateTimeOffset.UnixEpoch).Ticks;
        ArgumentOutOfRangeException.ThrowIfNegative(ticks, nameof(time));
        return (ulong)(ticks / TimeSpan.TicksPerMicrosecond);
    }

    internal static DateTimeOffset FromMicroseconds(ulong microseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(checked((long)microseconds * TimeSpan.TicksPerMicrosecond));
}
