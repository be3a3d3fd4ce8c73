namespace Systemd.Journal;

/// <summary>
/// One field of the current journal entry: <c>NAME=value</c> as stored, split at the first <c>=</c>.
/// The spans point into libsystemd's memory and are valid until the next call on the journal.
/// </summary>
public readonly ref struct JournalField
{
    private readonly int _nameLength;

    internal JournalField(ReadOnlySpan<byte> data, int nameLength)
    {
        Data = data;
        _nameLength = nameLength;
    }

    /// <summary>The whole stored data object, <c>NAME=value</c>.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The field name (ASCII: upper-case letters, digits and underscores).</summary>
    public ReadOnlySpan<byte> Name => Data[.._nameLength];

    /// <summary>The value: any bytes, not necessarily UTF-8, possibly empty.</summary>
    public ReadOnlySpan<byte> Value => Data[(_nameLength + 1)..];
}
