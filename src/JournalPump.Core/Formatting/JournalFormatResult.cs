namespace JournalPump.Core.Formatting;

/// <summary>What <see cref="JournalJsonFormatter.Format"/> wrote.</summary>
public readonly struct JournalFormatResult : IEquatable<JournalFormatResult>
{
    internal JournalFormatResult(int bytesWritten, int recordLength)
    {
        BytesWritten = bytesWritten;
        RecordLength = recordLength;
    }

    /// <summary>Bytes written to the output: the record, or the error stub when it was too large.</summary>
    public int BytesWritten { get; }

    /// <summary>The length the full record has (equal to <see cref="BytesWritten"/> unless oversized).</summary>
    public int RecordLength { get; }

    /// <summary>
    /// True when the record exceeded <see cref="JournalJsonFormatter.MaxRecordLength"/> and the error stub
    /// was written instead (journalpump counts this as <c>journal.read_error</c>, <c>error=too_long</c>).
    /// </summary>
    public bool IsOversized => RecordLength > JournalJsonFormatter.MaxRecordLength;

    /// <summary>Compares two results.</summary>
    public static bool operator ==(JournalFormatResult left, JournalFormatResult right) => left.Equals(right);

    /// <summary>Compares two results.</summary>
    public static bool operator !=(JournalFormatResult left, JournalFormatResult right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(JournalFormatResult other) => BytesWritten == other.BytesWritten && RecordLength == other.RecordLength;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is JournalFormatResult other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(BytesWritten, RecordLength);
}
