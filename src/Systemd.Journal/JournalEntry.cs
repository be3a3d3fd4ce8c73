using System.Buffers;
using System.Text;

namespace Systemd.Journal;

/// <summary>
/// An owned copy of one journal entry: every field in libsystemd's order (repeated names kept, values
/// as raw bytes, binary or not), its timestamps and, when asked for, its cursor.
/// </summary>
public sealed class JournalEntry
{
    private readonly JournalEntryField[] _fields;

    private JournalEntry(JournalEntryField[] fields, ulong realtime, JournalMonotonicTimestamp monotonic, string? cursor)
    {
        _fields = fields;
        RealtimeMicroseconds = realtime;
        Monotonic = monotonic;
        Cursor = cursor;
    }

    /// <summary>The fields in the order libsystemd enumerates them.</summary>
    public IReadOnlyList<JournalEntryField> Fields => _fields;

    /// <summary>The wall-clock time (<c>__REALTIME_TIMESTAMP</c>) in microseconds since the Unix epoch.</summary>
    public ulong RealtimeMicroseconds { get; }

    /// <summary>The wall-clock time (<c>__REALTIME_TIMESTAMP</c>).</summary>
    public DateTimeOffset Realtime => Journal.FromMicroseconds(RealtimeMicroseconds);

    /// <summary>The monotonic time (<c>__MONOTONIC_TIMESTAMP</c>) and boot id.</summary>
    public JournalMonotonicTimestamp Monotonic { get; }

    /// <summary>The entry's cursor, when it was taken (see <see cref="Journal.ReadEntry"/>).</summary>
    public string? Cursor { get; }

    /// <summary>Finds the first value of a field.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The value bytes.</param>
    /// <returns><see langword="false"/> when the entry has no such field.</returns>
    public bool TryGetValue(string name, out ReadOnlyMemory<byte> value)
    {
        foreach (var field in _fields)
        {
            if (string.Equals(field.Name, name, StringComparison.Ordinal))
            {
                value = field.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The first value of a field as a string (invalid UTF-8 is replaced by U+FFFD).</summary>
    /// <param name="name">The field name.</param>
    /// <returns>The value, or <see langword="null"/> when the entry has no such field.</returns>
    public string? GetString(string name) => TryGetValue(name, out var value) ? Encoding.UTF8.GetString(value.Span) : null;

    /// <summary>Every value of a field, in order (a field name may repeat within an entry).</summary>
    /// <param name="name">The field name.</param>
    /// <returns>The values; empty when the entry has no such field.</returns>
    public IEnumerable<ReadOnlyMemory<byte>> GetValues(string name) =>
        _fields.Where(f => string.Equals(f.Name, name, StringComparison.Ordinal)).Select(f => f.Value);

    /// <summary>Collects the fields of one entry into one buffer.</summary>
    internal struct Builder
    {
        private byte[]? _buffer;
        private int _used;
        private (int Start, int NameLength, int Length)[]? _spans;
        private int _count;

        public void Add(ReadOnlySpan<byte> data, int nameLength)
        {
            _buffer ??= ArrayPool<byte>.Shared.Rent(Math.Max(4096, data.Length));
            _spans ??= ArrayPool<(int, int, int)>.Shared.Rent(32);
            if (_used + data.Length > _buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _used + data.Length));
                _buffer.AsSpan(0, _used).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }

            if (_count == _spans.Length)
            {
                var more = ArrayPool<(int, int, int)>.Shared.Rent(_count * 2);
                _spans.AsSpan(0, _count).CopyTo(more);
                ArrayPool<(int, int, int)>.Shared.Return(_spans);
                _spans = more;
            }

            data.CopyTo(_buffer.AsSpan(_used));
            _spans[_count++] = (_used, nameLength, data.Length);
            _used += data.Length;
        }

        public JournalEntry Build(ulong realtime, JournalMonotonicTimestamp monotonic, string? cursor)
        {
            var fields = new JournalEntryField[_count];
            if (_count > 0)
            {
                byte[] owned = _buffer.AsSpan(0, _used).ToArray();
                for (int i = 0; i < _count; i++)
                {
                    var (start, nameLength, length) = _spans![i];
                    string name = Encoding.UTF8.GetString(owned, start, nameLength);
                    fields[i] = new JournalEntryField(name, new ReadOnlyMemory<byte>(owned, start + nameLength + 1, length - nameLength - 1));
                }
            }

            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            if (_spans is not null)
            {
                ArrayPool<(int, int, int)>.Shared.Return(_spans);
            }

            this = default;
            return new JournalEntry(fields, realtime, monotonic, cursor);
        }
    }
}

/// <summary>One field of a <see cref="JournalEntry"/>.</summary>
public readonly struct JournalEntryField
{
    internal JournalEntryField(string name, ReadOnlyMemory<byte> value)
    {
        Name = name;
        Value = value;
    }

    /// <summary>The field name.</summary>
    public string Name { get; }

    /// <summary>The value as raw bytes.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The value decoded as UTF-8 (invalid bytes are replaced by U+FFFD).</summary>
    /// <returns>The decoded value.</returns>
    public string GetValueString() => Encoding.UTF8.GetString(Value.Span);

    /// <inheritdoc/>
    public override string ToString() => $"{Name}={GetValueString()}";
}
