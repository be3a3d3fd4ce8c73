using System.Buffers;
using System.Text;
using JournalPump.Core.Formatting;
using JournalPump.Core.Metrics;

namespace JournalPump.Core.Filtering;

/// <summary>Helpers shared by the filters: value text for regexes, raw-name lookup, dict-ordered tags.</summary>
internal static class FilterText
{
    /// <summary>
    /// Writes what upstream's regexes see for a value into <paramref name="buffer"/> (grown from the pool as
    /// needed): text, an integer's decimal digits, a float's repr. False for bytes that are not UTF-8, null,
    /// and the empty string, which never match (spec 5.2).
    /// </summary>
    public static bool TryGetSearchText(JournalValue value, ref char[] buffer, out int length)
    {
        length = 0;
        switch (value.Kind)
        {
            case JournalValueKind.Text:
            case JournalValueKind.Number:
                if (value.Bytes.IsEmpty)
                {
                    return false;
                }

                Ensure(ref buffer, Encoding.UTF8.GetMaxCharCount(value.Bytes.Length));
                length = Encoding.UTF8.GetChars(value.Bytes, buffer);
                return true;
            case JournalValueKind.Seconds:
            {
                Span<byte> text = stackalloc byte[PythonFloat.MaxLength];
                int n = PythonFloat.Format(value.Seconds, text);
                Ensure(ref buffer, n);
                length = Encoding.ASCII.GetChars(text[..n], buffer);
                return true;
            }

            default:
                return false;
        }
    }

    public static void Ensure(ref char[] buffer, int length)
    {
        if (buffer.Length >= length)
        {
            return;
        }

        var larger = ArrayPool<char>.Shared.Rent(Math.Max(length, buffer.Length * 2));
        if (buffer.Length > 0)
        {
            ArrayPool<char>.Shared.Return(buffer);
        }

        buffer = larger;
    }

    /// <summary>
    /// The index of the key whose value came from raw field <paramref name="rawName"/>, or -1. A raw name
    /// whose key another raw name took over (<c>PID</c> and <c>_PID</c> in one entry) is not found.
    /// </summary>
    public static int IndexOfRaw(JournalRecord record, ReadOnlySpan<byte> rawName, ReadOnlySpan<byte> key)
    {
        int index = record.IndexOf(key);
        if (index < 0 || !record[index].RawName.SequenceEqual(rawName))
        {
            return -1;
        }

        return index;
    }

    public static byte[] StripUnderscores(string rawName) => Encoding.UTF8.GetBytes(rawName.TrimStart('_'));

    /// <summary>Python <c>dict.update</c> on a tag list: a known name keeps its position and takes the new value.</summary>
    public static void SetTag(List<MetricTag> tags, string name, string value)
    {
        for (int i = 0; i < tags.Count; i++)
        {
            if (string.Equals(tags[i].Name, name, StringComparison.Ordinal))
            {
                tags[i] = new MetricTag(name, value);
                return;
            }
        }

        tags.Add(new MetricTag(name, value));
    }

    /// <summary>R tags (spec 7.1): the pump tags plus <c>reader</c>.</summary>
    public static List<MetricTag> ReaderTags(IReadOnlyList<MetricTag> pumpTags, string? readerName)
    {
        var tags = new List<MetricTag>(pumpTags.Count + 1);
        foreach (var tag in pumpTags)
        {
            SetTag(tags, tag.Name, tag.Value);
        }

        if (readerName is not null)
        {
            SetTag(tags, "reader", readerName);
        }

        return tags;
    }

    public static List<MetricTag> With(IReadOnlyList<MetricTag> tags, params ReadOnlySpan<MetricTag> extra)
    {
        var list = new List<MetricTag>(tags.Count + extra.Length);
        list.AddRange(tags);
        foreach (var tag in extra)
        {
            SetTag(list, tag.Name, tag.Value);
        }

        return list;
    }
}
