using Confluent.Kafka;

namespace JournalPump.Testing.Kafka;

/// <summary>
/// One record as stored in a partition, read back by <see cref="KafkaRecords"/> (in process) or
/// <see cref="Kcat"/> (out of process). Equality compares every field and the bytes of the key, value
/// and headers, so two reads can be compared with <c>Is.EqualTo</c>.
/// </summary>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">The offset in the partition.</param>
/// <param name="Key">The key bytes, or null for a null key.</param>
/// <param name="Value">The value bytes (empty for a null value).</param>
/// <param name="Headers">The headers in order (names as UTF-8 text, values as bytes; a null header value reads as empty).</param>
/// <param name="TimestampType">Create time or log-append time.</param>
/// <param name="TimestampMilliseconds">The timestamp, milliseconds since the Unix epoch.</param>
public sealed record KafkaRecord(
    int Partition,
    long Offset,
    byte[]? Key,
    byte[] Value,
    IReadOnlyList<KeyValuePair<string, byte[]>> Headers,
    TimestampType TimestampType,
    long TimestampMilliseconds)
{
    /// <summary>Number of headers.</summary>
    public int HeaderCount => Headers.Count;

    /// <summary>The value as UTF-8 text.</summary>
    public string ValueText => System.Text.Encoding.UTF8.GetString(Value);

    /// <summary>Field-by-field, byte-by-byte equality.</summary>
    public bool Equals(KafkaRecord? other) =>
        other is not null
        && Partition == other.Partition
        && Offset == other.Offset
        && TimestampType == other.TimestampType
        && TimestampMilliseconds == other.TimestampMilliseconds
        && (Key is null ? other.Key is null : other.Key is not null && Key.AsSpan().SequenceEqual(other.Key))
        && Value.AsSpan().SequenceEqual(other.Value)
        && Headers.Count == other.Headers.Count
        && Headers.Zip(other.Headers).All(h => h.First.Key == h.Second.Key && h.First.Value.AsSpan().SequenceEqual(h.Second.Value));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Partition, Offset, Value.Length, Key?.Length ?? -1, Headers.Count);

    /// <inheritdoc/>
    public override string ToString() =>
        $"[{Partition}]@{Offset} {TimestampType} {TimestampMilliseconds} key={(Key is null ? "null" : Convert.ToHexString(Key))} " +
        $"headers={HeaderCount} value={Convert.ToHexString(Value)}";
}
