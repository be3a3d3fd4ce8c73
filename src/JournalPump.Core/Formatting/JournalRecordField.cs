namespace JournalPump.Core.Formatting;

/// <summary>
/// One key of a <see cref="JournalRecord"/> with its converted value or values. Valid until the record is
/// next changed.
/// </summary>
public readonly ref struct JournalRecordField
{
    private readonly JournalRecord _record;
    private readonly int _group;

    internal JournalRecordField(JournalRecord record, int index, int group)
    {
        _record = record;
        Index = index;
        _group = group;
    }

    /// <summary>The position of this key in the record.</summary>
    public int Index { get; }

    /// <summary>The JSON key: the journal field name without its leading underscores (<c>PID</c>).</summary>
    public ReadOnlySpan<byte> Key => _record.GetKey(Index);

    /// <summary>
    /// The journal field name the value came from (<c>_PID</c>); when two names map to one key, the later
    /// one, whose value the key carries.
    /// </summary>
    public ReadOnlySpan<byte> RawName => _record.GetRawName(_group);

    /// <summary>The number of values: 1 for a scalar, more for a repeated field (written as a JSON array).</summary>
    public int Count => _record.GetValueCount(_group);

    /// <summary>True when the field is written as a JSON array.</summary>
    public bool IsList => Count > 1;

    /// <summary>The value at <paramref name="valueIndex"/>, in journal enumeration order.</summary>
    /// <param name="valueIndex">0 to <see cref="Count"/> - 1.</param>
    public JournalValue this[int valueIndex] => _record.GetValue(_group, valueIndex);
}
