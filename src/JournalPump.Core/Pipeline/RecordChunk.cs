using System.Buffers;

namespace JournalPump.Core.Pipeline;

/// <summary>
/// A run of consecutive journal entries as seen by one sender: the records they produced (JSON lines in
/// one pooled buffer) and the cursor of the last entry read. Entries that produced no record for the
/// sender (filtered) still count, so acknowledging the chunk moves the sender's checkpoint past them.
/// </summary>
internal sealed class RecordChunk : IBufferWriter<byte>
{
    private byte[] _buffer;
    private int _length;
    private int _recordStart = -1;
    private (int Start, int Length)[] _records;

    public RecordChunk(int initialBytes = 64 * 1024)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialBytes);
        _records = ArrayPool<(int, int)>.Shared.Rent(256);
    }

    /// <summary>How many records.</summary>
    public int Count { get; private set; }

    /// <summary>The sum of the records' lengths.</summary>
    public long RecordBytes { get; private set; }

    /// <summary>The cursor of the last entry covered; set when the chunk is sealed.</summary>
    public string? Cursor { get; set; }

    /// <summary>Bytes held, for memory accounting.</summary>
    public int BufferedBytes => _length;

    public void BeginRecord() => _recordStart = _length;

    public void EndRecord()
    {
        int length = _length - _recordStart;
        GetSpan(1)[0] = (byte)'\n';
        Advance(1);
        if (Count == _records.Length)
        {
            var more = ArrayPool<(int, int)>.Shared.Rent(Count * 2);
            _records.AsSpan(0, Count).CopyTo(more);
            ArrayPool<(int, int)>.Shared.Return(_records);
            _records = more;
        }

        _records[Count++] = (_recordStart, length);
        RecordBytes += length;
        _recordStart = -1;
    }

    /// <summary>Drops the bytes written since <see cref="BeginRecord"/>.</summary>
    public void AbandonRecord()
    {
        if (_recordStart >= 0)
        {
            _length = _recordStart;
            _recordStart = -1;
        }
    }

    /// <summary>Record <paramref name="index"/> followed by its newline.</summary>
    public ReadOnlyMemory<byte> GetLine(int index)
    {
        var (start, length) = _records[index];
        return new ReadOnlyMemory<byte>(_buffer, start, length + 1);
    }

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    private void Ensure(int sizeHint)
    {
        int needed = _length + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }

    /// <summary>Returns the buffers to the pool; the chunk must not be used afterwards.</summary>
    public void Release()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        ArrayPool<(int, int)>.Shared.Return(_records);
        _buffer = [];
        _records = [];
        Count = 0;
    }
}
