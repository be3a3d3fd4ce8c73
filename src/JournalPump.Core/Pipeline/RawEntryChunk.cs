using System.Buffers;

namespace JournalPump.Core.Pipeline;

/// <summary>
/// Entries copied off the journal by the reader thread, for the formatting thread: every field as stored
/// (<c>NAME=value</c>), the realtime timestamp, and which senders the entry is for. One cursor per chunk.
/// </summary>
internal sealed class RawEntryChunk
{
    private byte[] _data;
    private int _length;
    private (int Start, int NameLength, int Length)[] _fields;
    private int _fieldCount;
    private (int FirstField, int FieldCount, ulong Realtime, ulong Senders)[] _entries;
    private byte[] _cursors;
    private (int Start, int Length)[] _cursorSpans;

    public RawEntryChunk()
    {
        _data = ArrayPool<byte>.Shared.Rent(256 * 1024);
        _fields = ArrayPool<(int, int, int)>.Shared.Rent(8 * 1024);
        _entries = ArrayPool<(int, int, ulong, ulong)>.Shared.Rent(1024);
        _cursors = [];
        _cursorSpans = [];
    }

    /// <summary>Entries copied.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes of field data held.</summary>
    public int Bytes => _length;

    /// <summary>The cursor of the last entry read; set when the chunk is sealed.</summary>
    public string? Cursor { get; set; }

    /// <summary>The senders that had reached their start position when the chunk was sealed (bit per sender).</summary>
    public ulong ActiveSenders { get; set; }

    public void BeginEntry(ulong realtime, ulong senders)
    {
        if (Count == _entries.Length)
        {
            Grow(ref _entries, Count * 2);
        }

        _entries[Count] = (_fieldCount, 0, realtime, senders);
    }

    public void AddField(ReadOnlySpan<byte> data, int nameLength)
    {
        if (_length + data.Length > _data.Length)
        {
            Grow(ref _data, Math.Max(_data.Length * 2, _length + data.Length), _length);
        }

        if (_fieldCount == _fields.Length)
        {
            Grow(ref _fields, _fieldCount * 2);
        }

        data.CopyTo(_data.AsSpan(_length));
        _fields[_fieldCount++] = (_length, nameLength, data.Length);
        _length += data.Length;
    }

    /// <summary>
    /// Stores the current entry's cursor (UTF-8). Taken per entry only when filters may leave a sender's
    /// last entries without a record: a sender's checkpoint is then the cursor of its last record.
    /// </summary>
    public Span<byte> CursorBuffer(int maxLength)
    {
        if (_cursorSpans.Length == 0)
        {
            _cursors = ArrayPool<byte>.Shared.Rent(160 * 1024);
            _cursorSpans = ArrayPool<(int, int)>.Shared.Rent(1024);
        }

        if (Count >= _cursorSpans.Length)
        {
            Grow(ref _cursorSpans, _cursorSpans.Length * 2);
        }

        int start = Count == 0 ? 0 : _cursorSpans[Count - 1].Start + _cursorSpans[Count - 1].Length;
        if (start + maxLength > _cursors.Length)
        {
            Grow(ref _cursors, Math.Max(_cursors.Length * 2, start + maxLength), start);
        }

        _cursorSpans[Count] = (start, 0);
        return _cursors.AsSpan(start, maxLength);
    }

    /// <summary>Records how long the cursor written into <see cref="CursorBuffer"/> was.</summary>
    public void CursorWritten(int length) => _cursorSpans[Count].Length = length;

    /// <summary>The cursor of an entry, when per-entry cursors were taken.</summary>
    public string EntryCursor(int entry)
    {
        var (start, length) = _cursorSpans[entry];
        return System.Text.Encoding.UTF8.GetString(_cursors, start, length);
    }

    public void EndEntry()
    {
        ref var entry = ref _entries[Count];
        entry.FieldCount = _fieldCount - entry.FirstField;
        Count++;
    }

    /// <summary>Drops the fields added since <see cref="BeginEntry"/> (the entry could not be read).</summary>
    public void AbandonEntry()
    {
        int first = _entries[Count].FirstField;
        if (first < _fieldCount)
        {
            _length = _fields[first].Start;
        }

        _fieldCount = first;
    }

    public ulong Realtime(int entry) => _entries[entry].Realtime;

    public ulong Senders(int entry) => _entries[entry].Senders;

    public int FieldCount(int entry) => _entries[entry].FieldCount;

    /// <summary>Field <paramref name="field"/> of an entry: its name and value.</summary>
    public void GetField(int entry, int field, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var (start, nameLength, length) = _fields[_entries[entry].FirstField + field];
        var data = _data.AsSpan(start, length);
        name = data[..nameLength];
        value = data[(nameLength + 1)..];
    }

    public void Release()
    {
        ArrayPool<byte>.Shared.Return(_data);
        ArrayPool<(int, int, int)>.Shared.Return(_fields);
        ArrayPool<(int, int, ulong, ulong)>.Shared.Return(_entries);
        if (_cursorSpans.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_cursors);
            ArrayPool<(int, int)>.Shared.Return(_cursorSpans);
        }

        _cursors = [];
        _cursorSpans = [];
        _data = [];
        _fields = [];
        _entries = [];
    }

    private static void Grow<T>(ref T[] array, int size, int keep = -1)
    {
        var bigger = ArrayPool<T>.Shared.Rent(size);
        array.AsSpan(0, keep < 0 ? array.Length : keep).CopyTo(bigger);
        ArrayPool<T>.Shared.Return(array);
        array = bigger;
    }
}
