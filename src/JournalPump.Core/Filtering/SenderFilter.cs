using JournalPump.Core.Formatting;

namespace JournalPump.Core.Filtering;

/// <summary>
/// A sender's own filters (spec 4.6 steps 4-5): its <c>unit_log_level</c> decides whether it gets the
/// record at all, its <c>field_filter</c> which keys its formatter writes.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class SenderFilter
{
    /// <summary>Creates the filter.</summary>
    /// <param name="unitLogLevels">The sender's unit log levels, built with its <c>extra_field_values</c>; <see langword="null"/> for none.</param>
    /// <param name="fieldFilter">The sender's field filter; <see langword="null"/> for none.</param>
    public SenderFilter(UnitLogLevelFilter? unitLogLevels = null, FieldFilter? fieldFilter = null)
    {
        UnitLogLevels = unitLogLevels;
        FieldFilter = fieldFilter;
    }

    /// <summary>A sender without filters.</summary>
    public static SenderFilter None { get; } = new();

    /// <summary>The unit log levels, if any.</summary>
    public UnitLogLevelFilter? UnitLogLevels { get; }

    /// <summary>The field filter, if any: the formatter's <see cref="JournalJsonFormatterOptions.KeyFilter"/>.</summary>
    public FieldFilter? FieldFilter { get; }

    /// <summary>Whether the sender gets the record (its unit log levels).</summary>
    /// <param name="record">The entry after the reader's filters.</param>
    /// <returns><see langword="true"/> to format and queue the record for this sender.</returns>
    public bool Accepts(JournalRecord record) => UnitLogLevels?.Includes(record) ?? true;
}
