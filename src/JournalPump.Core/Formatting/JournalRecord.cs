using System.Buffers;
using System.Text.Unicode;
using Systemd.Journal;

namespace JournalPump.Core.Formatting;

/// <summary>
/// The converted form of one journal entry, before any sender-specific step: journalpump's <i>base
/// entry</i> (spec 4.1-4.3). Keys are the field names without leading underscores, in libsystemd's
/// enumeration order; values are converted by raw field name (integers, dashed UUIDs, float seconds,
/// <c>null</c>, text, or non-UTF-8 bytes); repeated fields hold several values; <c>REALTIME_TIMESTAMP</c>
/// comes last. Filters that work on the whole entry (secret filters) change it in place; the
/// <see cref="JournalJsonFormatter"/> turns it into each sender's JSON record.
/// </summary>
/// <remarks>
/// A record copies the entry's names and values into one pooled buffer, so the reader's spans may die
/// right after <see cref="Load"/>; reuse one record per reader thread (<see cref="Clear"/> keeps the
/// buffers) and nothing is allocated per entry once the buffers have grown to fit. Not thread-safe.
/// </remarks>
public sealed class JournalRecord : IDisposable
{
    private const int RealtimeGroupNone = -1;

    private byte[] _arena;
    private int _used;
    private Element[] _elements = new Element[64];
    private int _elementCount;
    private Group[] _groups = new Group[32];
    private int _groupCount;
    private Key[] _keys = new Key[32];
    private int _keyCount;
    private bool _completed;

    // Open-addressing indexes (slot holds index + 1; 0 is empty) of groups by raw name and keys by key,
    // so that adding a field and merging keys cost O(1) instead of a scan of what is there.
    private int[] _groupIndex = new int[64];
    private int[] _keyIndex = new int[64];

    /// <summary>Creates an empty record.</summary>
    public JournalRecord()
    {
        _arena = ArrayPool<byte>.Shared.Rent(4096);
    }

    /// <summary>The number of keys.</summary>
    public int Count => _keyCount;

    /// <summary>The entry's realtime timestamp in microseconds since the epoch, as given to <see cref="Complete"/>.</summary>
    public ulong RealtimeMicroseconds { get; private set; }

    /// <summary>The key at <paramref name="index"/> with its values.</summary>
    /// <param name="index">0 to <see cref="Count"/> - 1, in output order.</param>
    public JournalRecordField this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _keyCount);
            return new JournalRecordField(this, index, _keys[index].Group);
        }
    }

    /// <summary>
    /// Reads the journal's current entry (all fields in enumeration order, then its realtime timestamp)
    /// into this record, replacing what it held. Call on the journal's thread.
    /// </summary>
    /// <param name="journal">A journal positioned on an entry.</param>
    public void Load(Journal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        Clear();
        foreach (var field in journal.EnumerateFields())
        {
            AddField(field.Name, field.Value);
        }

        Complete(journal.GetRealtimeMicroseconds());
    }

    /// <summary>Empties the record, keeping its buffers.</summary>
    public void Clear()
    {
        _used = 0;
        _elementCount = 0;
        if (_groupCount > 0)
        {
            Array.Clear(_groupIndex);
        }

        if (_keyCount > 0)
        {
            Array.Clear(_keyIndex);
        }

        _groupCount = 0;
        _keyCount = 0;
        _completed = false;
        RealtimeMicroseconds = 0;
    }

    /// <summary>
    /// Adds one journal field as stored (<c>_PID</c>, raw value bytes), in enumeration order. A name seen
    /// before adds a value to that field. Call <see cref="Complete"/> after the last field.
    /// </summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The raw value.</param>
    public void AddField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The record is complete; call Clear before adding fields.");
        }

        int hash = Hash(name);
        int group = FindGroup(name, hash);
        if (group < 0)
        {
            group = AddGroup(name, hash);
        }

        int element = AddElement(value);
        ref var g = ref _groups[group];
        if (g.Count == 0)
        {
            g.First = element;
        }
        else
        {
            _elements[g.Last].Next = element;
        }

        g.Last = element;
        g.Count++;
    }

    /// <summary>
    /// Finishes the record: appends <c>__REALTIME_TIMESTAMP</c>, converts every value by its raw field
    /// name, and merges names into keys (leading underscores removed; when two names meet, the key keeps
    /// the first one's position and the later one's value).
    /// </summary>
    /// <param name="realtimeMicroseconds">The entry's realtime timestamp.</param>
    public void Complete(ulong realtimeMicroseconds)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The record is already complete.");
        }

        RealtimeMicroseconds = realtimeMicroseconds;
        ReadOnlySpan<byte> realtimeName = "__REALTIME_TIMESTAMP"u8;
        int hash = Hash(realtimeName);
        int realtime = FindGroup(realtimeName, hash);
        if (realtime < 0)
        {
            realtime = AddGroup(realtimeName, hash);
        }

        int realtimeElement = AddElement([]);
        _elements[realtimeElement].Kind = JournalValueKind.Seconds;
        _elements[realtimeElement].Float = realtimeMicroseconds / 1e6;
        ref var rg = ref _groups[realtime];
        rg.First = realtimeElement;
        rg.Last = realtimeElement;
        rg.Count = 1;
        rg.Converted = true;

        for (int g = 0; g < _groupCount; g++)
        {
            if (!_groups[g].Converted)
            {
                ConvertGroup(g);
            }
        }

        for (int g = 0; g < _groupCount; g++)
        {
            var name = GetRawName(g);
            int start = 0;
            while (start < name.Length && name[start] == (byte)'_')
            {
                start++;
            }

            var key = name[start..];
            int keyHash = Hash(key);
            int existing = IndexOf(key, keyHash);
            if (existing >= 0)
            {
                _keys[existing].Group = g;
                continue;
            }

            if (_keyCount == _keys.Length)
            {
                Array.Resize(ref _keys, _keys.Length * 2);
            }

            _keys[_keyCount++] = new Key
            {
                Group = g,
                Start = _groups[g].NameStart + start,
                Length = key.Length,
                Hash = keyHash,
            };
            Insert(ref _keyIndex, _keyCount, keyHash, _keys.AsSpan(0, _keyCount), static k => k.Hash);
        }

        _completed = true;
    }

    /// <summary>The position of <paramref name="key"/> (as written in JSON, e.g. <c>MESSAGE</c>), or -1.</summary>
    /// <param name="key">The key, case-sensitive.</param>
    /// <returns>The index, or -1 when absent.</returns>
    public int IndexOf(ReadOnlySpan<byte> key) => IndexOf(key, Hash(key));

    /// <summary>
    /// Replaces one value of the key at <paramref name="index"/> with a string, for filters that rewrite
    /// values (a secret filter rewriting <c>MESSAGE</c>).
    /// </summary>
    /// <param name="index">The key's position.</param>
    /// <param name="valueIndex">Which value of a repeated field; 0 for a scalar.</param>
    /// <param name="utf8">The new text, valid UTF-8.</param>
    /// <exception cref="ArgumentException"><paramref name="utf8"/> is not valid UTF-8.</exception>
    public void SetString(int index, int valueIndex, ReadOnlySpan<byte> utf8)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _keyCount);
        if (!Utf8.IsValid(utf8))
        {
            throw new ArgumentException("The value must be valid UTF-8.", nameof(utf8));
        }

        int element = ElementAt(_keys[index].Group, valueIndex);
        int start = Append(utf8);
        ref var e = ref _elements[element];
        e.Start = start;
        e.Length = utf8.Length;
        e.Kind = JournalValueKind.Text;
        e.Float = 0;
    }

    /// <summary>Returns the pooled buffer.</summary>
    public void Dispose()
    {
        var arena = _arena;
        _arena = [];
        Clear();
        if (arena.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(arena);
        }
    }

    internal ReadOnlySpan<byte> GetKey(int index) => _arena.AsSpan(_keys[index].Start, _keys[index].Length);

    internal int GetGroup(int index) => _keys[index].Group;

    internal ReadOnlySpan<byte> GetRawName(int group) => _arena.AsSpan(_groups[group].NameStart, _groups[group].NameLength);

    internal int GetValueCount(int group) => _groups[group].Count;

    internal int GetFirstElement(int group) => _groups[group].First;

    internal int GetNextElement(int element) => _elements[element].Next;

    internal JournalValue GetElement(int element)
    {
        ref var e = ref _elements[element];
        return new JournalValue(e.Kind, _arena.AsSpan(e.Start, e.Length), e.Float);
    }

    internal JournalValue GetValue(int group, int valueIndex) => GetElement(ElementAt(group, valueIndex));

    private int ElementAt(int group, int valueIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(valueIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(valueIndex, _groups[group].Count);
        int element = _groups[group].First;
        for (int i = 0; i < valueIndex; i++)
        {
            element = _elements[element].Next;
        }

        return element;
    }

    private void ConvertGroup(int group)
    {
        ref var g = ref _groups[group];
        g.Converted = true;
        var converter = FieldConverters.For(GetRawName(group));
        if (converter == FieldConverter.Monotonic)
        {
            // convert_mon ignores its argument: even a repeated field becomes one null.
            ref var first = ref _elements[g.First];
            first.Kind = JournalValueKind.Null;
            first.Length = 0;
            g.Last = g.First;
            g.Count = 1;
            return;
        }

        for (int element = g.First, i = 0; i < g.Count; element = _elements[element].Next, i++)
        {
            ConvertElement(element, converter);
        }
    }

    private void ConvertElement(int element, FieldConverter converter)
    {
        int length = _elements[element].Length;
        switch (converter)
        {
            case FieldConverter.Integer:
            case FieldConverter.Realtime:
            {
                EnsureCapacity(length + 1);
                ref var e = ref _elements[element];
                var source = _arena.AsSpan(e.Start, e.Length);
                var destination = _arena.AsSpan(_used, length + 1);
                if (PythonInt.TryParse(source, destination, out int written))
                {
                    if (converter == FieldConverter.Integer)
                    {
                        e.Start = _used;
                        e.Length = written;
                        e.Kind = JournalValueKind.Number;
                        _used += written;
                        return;
                    }

                    // int(t) / 1000000.0: the integer is rounded to a double first (double.Parse rounds
                    // correctly, like CPython's int-to-float), then divided. Too big for a double is
                    // OverflowError upstream (entry dropped); ours keeps the text.
                    double seconds = IntegerToDouble(destination[..written]) / 1e6;
                    if (double.IsFinite(seconds))
                    {
                        e.Kind = JournalValueKind.Seconds;
                        e.Float = seconds;
                        return;
                    }
                }

                break;
            }

            case FieldConverter.Uuid:
            {
                EnsureCapacity(PythonUuid.FormattedLength);
                ref var e = ref _elements[element];
                if (PythonUuid.TryFormat(_arena.AsSpan(e.Start, e.Length), _arena.AsSpan(_used, PythonUuid.FormattedLength)))
                {
                    e.Start = _used;
                    e.Length = PythonUuid.FormattedLength;
                    e.Kind = JournalValueKind.Text;
                    _used += PythonUuid.FormattedLength;
                    return;
                }

                break;
            }
        }

        ref var value = ref _elements[element];
        value.Kind = Utf8.IsValid(_arena.AsSpan(value.Start, value.Length)) ? JournalValueKind.Text : JournalValueKind.Bytes;
    }

    private int IndexOf(ReadOnlySpan<byte> key, int hash)
    {
        int mask = _keyIndex.Length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            int i = _keyIndex[slot] - 1;
            if (i < 0)
            {
                return -1;
            }

            if (_keys[i].Hash == hash && GetKey(i).SequenceEqual(key))
            {
                return i;
            }
        }
    }

    private int FindGroup(ReadOnlySpan<byte> name, int hash)
    {
        int mask = _groupIndex.Length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            int i = _groupIndex[slot] - 1;
            if (i < 0)
            {
                return -1;
            }

            if (_groups[i].Hash == hash && GetRawName(i).SequenceEqual(name))
            {
                return i;
            }
        }
    }

    private int AddGroup(ReadOnlySpan<byte> name, int hash)
    {
        if (_groupCount == _groups.Length)
        {
            Array.Resize(ref _groups, _groups.Length * 2);
        }

        int start = Append(name);
        _groups[_groupCount] = new Group { NameStart = start, NameLength = name.Length, Hash = hash, First = -1, Last = -1 };
        _groupCount++;
        Insert(ref _groupIndex, _groupCount, hash, _groups.AsSpan(0, _groupCount), static g => g.Hash);
        return _groupCount - 1;
    }

    /// <summary>Indexes item <paramref name="count"/> − 1; grows (and re-indexes every item) past half full.</summary>
    private static void Insert<T>(ref int[] index, int count, int hash, ReadOnlySpan<T> items, Func<T, int> hashOf)
    {
        if (count * 2 > index.Length)
        {
            index = new int[index.Length * 2];
            for (int i = 0; i < count - 1; i++)
            {
                Place(index, hashOf(items[i]), i);
            }
        }

        Place(index, hash, count - 1);
    }

    private static void Place(int[] index, int hash, int item)
    {
        int mask = index.Length - 1;
        int slot = hash & mask;
        while (index[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        index[slot] = item + 1;
    }

    private int AddElement(ReadOnlySpan<byte> value)
    {
        if (_elementCount == _elements.Length)
        {
            Array.Resize(ref _elements, _elements.Length * 2);
        }

        int start = Append(value);
        _elements[_elementCount] = new Element { Start = start, Length = value.Length, Kind = JournalValueKind.Text, Next = -1 };
        return _elementCount++;
    }

    private int Append(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        int start = _used;
        bytes.CopyTo(_arena.AsSpan(_used));
        _used += bytes.Length;
        return start;
    }

    private void EnsureCapacity(int additional)
    {
        if (_used + additional <= _arena.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_arena.Length * 2, _used + additional));
        _arena.AsSpan(0, _used).CopyTo(larger);
        if (_arena.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_arena);
        }

        _arena = larger;
    }

    /// <summary>
    /// The double nearest to a normalised integer (<see cref="PythonInt.TryParse"/>'s output): up to 18 digits
    /// fit a long, whose conversion to double rounds to nearest like <c>double.Parse</c>; longer ones go through <see cref="double.Parse(ReadOnlySpan{byte}, IFormatProvider?)"/>,
    /// which rounds correctly.
    /// </summary>
    private static double IntegerToDouble(ReadOnlySpan<byte> integer)
    {
        bool negative = integer[0] == (byte)'-';
        var digits = negative ? integer[1..] : integer;
        if (digits.Length > 18)
        {
            return double.Parse(integer, provider: System.Globalization.CultureInfo.InvariantCulture);
        }

        long n = 0;
        foreach (byte d in digits)
        {
            n = (n * 10) + (d - '0');
        }

        return negative ? -(double)n : n;
    }

    private static int Hash(ReadOnlySpan<byte> name)
    {
        // Field names are short ASCII: the first and last 8 bytes and the length spread them well enough
        // for a table that compares names on a hash match anyway.
        ulong h;
        if (name.Length >= 8)
        {
            ulong first = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(name);
            ulong last = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(name[^8..]);
            h = (first * 0x9E3779B97F4A7C15UL) ^ ((last + (ulong)name.Length) * 0xC2B2AE3D27D4EB4FUL);
        }
        else
        {
            ulong bytes = 0;
            foreach (byte b in name)
            {
                bytes = (bytes << 8) | b;
            }

            h = (bytes + (ulong)name.Length) * 0x9E3779B97F4A7C15UL;
        }

        h ^= h >> 29;
        return (int)(h ^ (h >> 32));
    }

    private struct Element
    {
        public int Start;
        public int Length;
        public JournalValueKind Kind;
        public double Float;
        public int Next;
    }

    private struct Group
    {
        public int NameStart;
        public int NameLength;
        public int Hash;
        public int First;
        public int Last;
        public int Count;
        public bool Converted;
    }

    private struct Key
    {
        public int Group;
        public int Start;
        public int Length;
        public int Hash;
    }
}
