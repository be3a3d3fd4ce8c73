using System.Text;
using JournalPump.Core.Formatting;

namespace JournalPump.Core.Filtering;

/// <summary>Whether a field filter keeps or drops the fields it lists.</summary>
public enum FieldFilterType
{
    /// <summary>Keep only the listed fields (<c>"type": "whitelist"</c>, the default).</summary>
    Whitelist,

    /// <summary>Drop the listed fields (any other <c>type</c> value).</summary>
    Blacklist,
}

/// <summary>One <c>field_filters.&lt;name&gt;</c> definition (spec 2.4).</summary>
public sealed class FieldFilterOptions
{
    /// <summary>The filter's type (<c>type</c>).</summary>
    public FieldFilterType Type { get; init; } = FieldFilterType.Whitelist;

    /// <summary>The field names (<c>fields</c>, required); case and leading underscores do not matter.</summary>
    public required IReadOnlyList<string> Fields { get; init; }

    /// <summary>
    /// journalpump's reading of <c>type</c>: absent means whitelist, exactly <c>"whitelist"</c> means
    /// whitelist, anything else means blacklist.
    /// </summary>
    /// <param name="type">The configured value, or <see langword="null"/> when absent.</param>
    /// <returns>The type.</returns>
    public static FieldFilterType ParseType(string? type) =>
        type is null || string.Equals(type, "whitelist", StringComparison.Ordinal) ? FieldFilterType.Whitelist : FieldFilterType.Blacklist;
}

/// <summary>
/// A per-sender field filter (spec 5.7): keeps (whitelist) or drops (blacklist) record keys, comparing
/// names with leading underscores stripped and lower-cased, so <c>_PID</c>, <c>pid</c> and <c>PID</c> all
/// select the key <c>PID</c>. It sees the final record, so <c>timestamp</c>, <c>REALTIME_TIMESTAMP</c>
/// and <c>extra_field_values</c> keys are subject to it. Give it to the sender's formatter as
/// <see cref="JournalJsonFormatterOptions.KeyFilter"/>.
/// </summary>
/// <remarks>Immutable and thread-safe; <see cref="Includes(ReadOnlySpan{byte})"/> allocates nothing for ASCII keys.</remarks>
public sealed class FieldFilter : IJournalKeyFilter
{
    private const int StackLimit = 256;
    private readonly HashSet<string> _fields;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly bool _whitelist;

    /// <summary>Creates the filter.</summary>
    /// <param name="options">Type and fields.</param>
    /// <exception cref="FilterConfigurationException"><c>fields</c> is missing or holds a null.</exception>
    public FieldFilter(FieldFilterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Fields is null)
        {
            throw new FilterConfigurationException("field filter has no 'fields' list");
        }

        _fields = new HashSet<string>(StringComparer.Ordinal);
        foreach (string field in options.Fields)
        {
            if (field is null)
            {
                throw new FilterConfigurationException("field filter 'fields' holds a null name");
            }

            _fields.Add(Normalise(field));
        }

        _lookup = _fields.GetAlternateLookup<ReadOnlySpan<char>>();
        _whitelist = options.Type == FieldFilterType.Whitelist;
        Type = options.Type;
    }

    /// <summary>The filter's type.</summary>
    public FieldFilterType Type { get; }

    /// <inheritdoc/>
    public bool Includes(ReadOnlySpan<byte> key)
    {
        int start = 0;
        while (start < key.Length && key[start] == (byte)'_')
        {
            start++;
        }

        key = key[start..];
        if (key.Length <= StackLimit && System.Text.Ascii.IsValid(key))
        {
            Span<char> lower = stackalloc char[key.Length];
            System.Text.Ascii.ToLower(key, lower, out int written);
            return _lookup.Contains(lower[..written]) == _whitelist;
        }

        return _fields.Contains(Normalise(Encoding.UTF8.GetString(key))) == _whitelist;
    }

    /// <summary>Whether <paramref name="key"/> is written.</summary>
    /// <param name="key">The record key.</param>
    /// <returns><see langword="true"/> to keep the key.</returns>
    public bool Includes(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _fields.Contains(Normalise(key)) == _whitelist;
    }

    // Python: name.lstrip("_").lower().
    private static string Normalise(string name) => name.TrimStart('_').ToLowerInvariant();
}
