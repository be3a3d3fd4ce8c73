namespace JournalPump.Core.Pipeline;

/// <summary>
/// Records for one send, in journal order: each record is the entry's JSON for this sender, without a
/// trailing newline. Valid only during <see cref="IJournalSink.SendAsync"/>: the memory is pooled.
/// </summary>
public sealed class JournalBatch
{
    private readonly List<ReadOnlyMemory<byte>> _records = [];

    // Record i is followed by a '\n' in its buffer, so lines can be written without copying.
    private readonly List<ReadOnlyMemory<byte>> _lines = [];

    internal JournalBatch()
    {
    }

    /// <summary>Creates a batch of records, for tests and for sinks used without the pipeline.</summary>
    /// <param name="records">The records.</param>
    /// <returns>The batch.</returns>
    public static JournalBatch Create(IEnumerable<ReadOnlyMemory<byte>> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var batch = new JournalBatch();
        foreach (var record in records)
        {
            byte[] line = new byte[record.Length + 1];
            record.Span.CopyTo(line);
            line[^1] = (byte)'\n';
            batch.Add(line);
        }

        return batch;
    }

    /// <summary>How many records.</summary>
    public int Count => _records.Count;

    /// <summary>The sum of the records' lengths in bytes.</summary>
    public long ByteCount { get; private set; }

    /// <summary>The records.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Records => _records;

    /// <summary>Record <paramref name="index"/> followed by <c>\n</c> (a JSON line).</summary>
    /// <param name="index">The record.</param>
    /// <returns>The line.</returns>
    public ReadOnlyMemory<byte> GetLine(int index) => _lines[index];

    /// <summary>Writes every record as a JSON line, coalescing records that are adjacent in memory into one write.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when written.</returns>
    public async ValueTask WriteLinesAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        int i = 0;
        while (i < _lines.Count)
        {
            var run = _lines[i];
            int j = i + 1;
            while (j < _lines.Count && Adjacent(run, _lines[j], out var joined))
            {
                run = joined;
                j++;
            }

            await stream.WriteAsync(run, cancellationToken).ConfigureAwait(false);
            i = j;
        }
    }

    private static bool Adjacent(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, out ReadOnlyMemory<byte> joined)
    {
        if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first, out var a)
            && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(second, out var b)
            && ReferenceEquals(a.Array, b.Array)
            && a.Offset + a.Count == b.Offset)
        {
            joined = new ReadOnlyMemory<byte>(a.Array, a.Offset, a.Count + b.Count);
            return true;
        }

        joined = default;
        return false;
    }

    /// <summary>Adds a line (record + <c>\n</c>).</summary>
    internal void Add(ReadOnlyMemory<byte> line)
    {
        _lines.Add(line);
        _records.Add(line[..^1]);
        ByteCount += line.Length - 1;
    }

    internal void Clear()
    {
        _records.Clear();
        _lines.Clear();
        ByteCount = 0;
    }
}
