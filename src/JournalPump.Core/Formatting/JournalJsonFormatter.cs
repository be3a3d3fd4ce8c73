using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace JournalPump.Core.Formatting;

/// <summary>
/// Writes a <see cref="JournalRecord"/> as the exact JSON bytes journalpump produces for one sender
/// (spec 4.5-4.8): the record's keys, then <c>timestamp</c>, then the sender's extra fields, filtered by
/// the sender's key filter, serialised like Python's <c>json.dumps</c> defaults (<c>", "</c> and
/// <c>": "</c> separators, ASCII-only output), and replaced by journalpump's error stub when longer than
/// 1 MiB. No trailing newline: senders add their own framing.
/// </summary>
/// <remarks>
/// Immutable after construction and safe to share between threads; create one per sender configuration.
/// Formatting allocates nothing: the JSON is written straight into the output's span.
/// </remarks>
public sealed class JournalJsonFormatter
{
    /// <summary>The largest record journalpump sends; longer ones become the error stub.</summary>
    public const int MaxRecordLength = 1024 * 1024;

    /// <summary>How many leading bytes of an oversized record the stub's <c>partial_data</c> keeps.</summary>
    public const int PartialDataLength = 1024;

    // The stub is at most its fixed text, a 7-digit length, and 1024 ASCII bytes each escaped to two.
    private const int MaxStubLength = 128 + (PartialDataLength * 2);

    private static readonly byte[] TimestampKey = PythonJsonNode.RenderString("timestamp");

    private readonly ExtraField[] _extras;
    private readonly IJournalKeyFilter? _keyFilter;
    private readonly int _extrasLength;
    private readonly bool _timestampIncluded;

    /// <summary>Creates a formatter for one sender configuration.</summary>
    /// <param name="options">Extra fields and key filter; <see langword="null"/> for a sender with neither.</param>
    public JournalJsonFormatter(JournalJsonFormatterOptions? options = null)
    {
        _keyFilter = options?.KeyFilter;
        var extras = new List<ExtraField>();
        if (options?.ExtraFieldValues is { } values)
        {
            foreach (var (key, value) in values)
            {
                var utf8Key = Encoding.UTF8.GetBytes(key);
                extras.Add(new ExtraField(utf8Key, PythonJsonNode.RenderString(key), PythonJsonNode.Render(value), _keyFilter?.Includes(utf8Key) ?? true));
            }
        }

        _extras = [.. extras];
        foreach (var extra in _extras)
        {
            _extrasLength += extra.JsonKey.Length + extra.JsonValue.Length + 4;
        }

        _timestampIncluded = _keyFilter?.Includes("timestamp"u8) ?? true;
    }

    /// <summary>
    /// Writes the record's JSON to <paramref name="output"/>: the full record, or the error stub
    /// <c>{"error": "too large message N bytes vs maximum 1048576 bytes", "partial_data": "..."}</c> when
    /// it is longer than <see cref="MaxRecordLength"/>.
    /// </summary>
    /// <param name="record">A completed record.</param>
    /// <param name="output">Where the bytes go; receives exactly <see cref="JournalFormatResult.BytesWritten"/> bytes.</param>
    /// <returns>What was written.</returns>
    public JournalFormatResult Format(JournalRecord record, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(output);

        long bound = Math.Max(MaxLength(record), MaxStubLength);
        if (bound > int.MaxValue)
        {
            throw new InvalidOperationException("The entry is too large to format.");
        }

        var destination = output.GetSpan((int)bound);
        int length = WriteRecord(record, destination);
        if (length <= MaxRecordLength)
        {
            output.Advance(length);
            return new JournalFormatResult(length, length);
        }

        Span<byte> partial = stackalloc byte[PartialDataLength];
        destination[..PartialDataLength].CopyTo(partial);
        int stubLength = WriteStub(length, MaxRecordLength, partial, destination);
        output.Advance(stubLength);
        return new JournalFormatResult(stubLength, length);
    }

    /// <summary>
    /// Builds journalpump's error stub for a record that a peer refuses as too large:
    /// <c>{"error": "too large message N bytes vs maximum M bytes", "partial_data": "..."}</c> with the
    /// record's first <see cref="PartialDataLength"/> bytes, the same stub <see cref="Format"/> writes for
    /// records longer than <see cref="MaxRecordLength"/>.
    /// </summary>
    /// <param name="record">The record (JSON, as formatted).</param>
    /// <param name="maximum">The size limit it exceeded, in bytes.</param>
    /// <returns>The stub's bytes (at most a little over 2 KiB).</returns>
    public static byte[] CreateOversizeStub(ReadOnlySpan<byte> record, int maximum)
    {
        var destination = new byte[MaxStubLength + 16];
        int length = WriteStub(record.Length, maximum, record[..Math.Min(record.Length, PartialDataLength)], destination);
        return destination[..length];
    }

    private static int WriteStub(int recordLength, int maximum, ReadOnlySpan<byte> partial, Span<byte> destination)
    {
        int w = 0;
        Copy("{\"error\": \"too large message "u8, destination, ref w);
        recordLength.TryFormat(destination[w..], out int digits, default, System.Globalization.CultureInfo.InvariantCulture);
        w += digits;
        Copy(" bytes vs maximum "u8, destination, ref w);
        maximum.TryFormat(destination[w..], out digits, default, System.Globalization.CultureInfo.InvariantCulture);
        w += digits;
        Copy(" bytes\", \"partial_data\": "u8, destination, ref w);
        w += PythonJson.WriteString(partial, destination[w..]);
        destination[w++] = (byte)'}';
        return w;
    }

    private static void Copy(ReadOnlySpan<byte> text, Span<byte> destination, ref int w)
    {
        text.CopyTo(destination[w..]);
        w += text.Length;
    }

    private long MaxLength(JournalRecord record)
    {
        // Separators and braces, timestamp, extras, then each key and value at their worst expansion.
        long bound = 2 + 4 + TimestampKey.Length + 2 + PythonDateTime.MaxLength + _extrasLength;
        for (int i = 0; i < record.Count; i++)
        {
            bound += 4 + PythonJson.MaxStringLength(record.GetKey(i).Length) + 2;
            int group = record.GetGroup(i);
            for (int e = record.GetFirstElement(group), n = record.GetValueCount(group); n > 0; e = record.GetNextElement(e), n--)
            {
                var value = record.GetElement(e);
                bound += 2 + value.Kind switch
                {
                    JournalValueKind.Text => PythonJson.MaxStringLength(value.Bytes.Length),
                    JournalValueKind.Bytes => PythonJson.MaxBytesLiteralLength(value.Bytes.Length),
                    JournalValueKind.Number => value.Bytes.Length,
                    JournalValueKind.Seconds => PythonFloat.MaxLength,
                    _ => 4,
                };
            }
        }

        return bound;
    }

    private int WriteRecord(JournalRecord record, Span<byte> destination)
    {
        int w = 0;
        destination[w++] = (byte)'{';
        bool first = true;
        ulong usedExtras = 0;
        bool[]? usedExtrasOverflow = _extras.Length > 64 ? new bool[_extras.Length] : null;
        bool timestampSeen = false;

        for (int i = 0; i < record.Count; i++)
        {
            var key = record.GetKey(i);
            int extra = FindExtra(key);
            if (extra >= 0)
            {
                MarkUsed(extra, ref usedExtras, usedExtrasOverflow);
            }

            bool isTimestamp = key.SequenceEqual("timestamp"u8);
            timestampSeen |= isTimestamp;
            if (_keyFilter is not null && !_keyFilter.Includes(key))
            {
                continue;
            }

            WriteSeparator(destination, ref w, ref first);
            w += WriteKey(key, destination[w..]);
            if (extra >= 0)
            {
                Copy(_extras[extra].JsonValue, destination, ref w);
            }
            else if (isTimestamp)
            {
                w += WriteTimestamp(record, destination[w..]);
            }
            else
            {
                w += WriteField(record, record.GetGroup(i), destination[w..]);
            }
        }

        if (!timestampSeen)
        {
            int extra = FindExtra("timestamp"u8);
            if (extra >= 0)
            {
                MarkUsed(extra, ref usedExtras, usedExtrasOverflow);
            }

            if (_timestampIncluded)
            {
                WriteSeparator(destination, ref w, ref first);
                Copy(TimestampKey, destination, ref w);
                Copy(": "u8, destination, ref w);
                if (extra >= 0)
                {
                    Copy(_extras[extra].JsonValue, destination, ref w);
                }
                else
                {
                    w += WriteTimestamp(record, destination[w..]);
                }
            }
        }

        for (int i = 0; i < _extras.Length; i++)
        {
            bool used = usedExtrasOverflow is null ? (usedExtras & (1UL << i)) != 0 : usedExtrasOverflow[i];
            if (used || !_extras[i].Included)
            {
                continue;
            }

            WriteSeparator(destination, ref w, ref first);
            Copy(_extras[i].JsonKey, destination, ref w);
            Copy(": "u8, destination, ref w);
            Copy(_extras[i].JsonValue, destination, ref w);
        }

        destination[w++] = (byte)'}';
        return w;
    }

    private static void MarkUsed(int extra, ref ulong used, bool[]? overflow)
    {
        if (overflow is null)
        {
            used |= 1UL << extra;
        }
        else
        {
            overflow[extra] = true;
        }
    }

    private static void WriteSeparator(Span<byte> destination, ref int w, ref bool first)
    {
        if (!first)
        {
            destination[w++] = (byte)',';
            destination[w++] = (byte)' ';
        }

        first = false;
    }

    private static int WriteKey(ReadOnlySpan<byte> key, Span<byte> destination)
    {
        // Journal field names are ASCII; a record built by hand may hold anything.
        int w = Utf8.IsValid(key) ? PythonJson.WriteString(key, destination) : PythonJson.WriteBytesLiteral(key, destination);
        destination[w++] = (byte)':';
        destination[w++] = (byte)' ';
        return w;
    }

    private static int WriteTimestamp(JournalRecord record, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        int w = 1 + PythonDateTime.FormatUtcFromTimestamp(record.RealtimeMicroseconds / 1e6, destination[1..]);
        destination[w++] = (byte)'"';
        return w;
    }

    private static int WriteField(JournalRecord record, int group, Span<byte> destination)
    {
        int count = record.GetValueCount(group);
        int element = record.GetFirstElement(group);
        if (count == 1)
        {
            return WriteValue(record.GetElement(element), destination);
        }

        int w = 0;
        destination[w++] = (byte)'[';
        for (int i = 0; i < count; i++, element = record.GetNextElement(element))
        {
            if (i > 0)
            {
                destination[w++] = (byte)',';
                destination[w++] = (byte)' ';
            }

            w += WriteValue(record.GetElement(element), destination[w..]);
        }

        destination[w++] = (byte)']';
        return w;
    }

    private static int WriteValue(JournalValue value, Span<byte> destination)
    {
        switch (value.Kind)
        {
            case JournalValueKind.Text:
                return PythonJson.WriteString(value.Bytes, destination);
            case JournalValueKind.Bytes:
                return PythonJson.WriteBytesLiteral(value.Bytes, destination);
            case JournalValueKind.Number:
                value.Bytes.CopyTo(destination);
                return value.Bytes.Length;
            case JournalValueKind.Seconds:
                return PythonFloat.Format(value.Seconds, destination);
            default:
                "null"u8.CopyTo(destination);
                return 4;
        }
    }

    private int FindExtra(ReadOnlySpan<byte> key)
    {
        for (int i = 0; i < _extras.Length; i++)
        {
            if (_extras[i].Key.AsSpan().SequenceEqual(key))
            {
                return i;
            }
        }

        return -1;
    }

    private readonly record struct ExtraField(byte[] Key, byte[] JsonKey, byte[] JsonValue, bool Included);
}
