using System.Text.Json.Nodes;

namespace JournalPump.Core.Formatting;

/// <summary>What a sender adds to or removes from the base entry when its record is formatted (spec 4.6).</summary>
public sealed class JournalJsonFormatterOptions
{
    /// <summary>
    /// The sender's <c>extra_field_values</c>: merged after <c>timestamp</c>. A key the record already has
    /// keeps its position and takes this value; new keys are appended in this object's order. Values keep
    /// their JSON types (numbers, booleans, null, nested objects and arrays).
    /// </summary>
    public JsonObject? ExtraFieldValues { get; set; }

    /// <summary>The sender's field filter, applied to the final record; <see langword="null"/> keeps every key.</summary>
    public IJournalKeyFilter? KeyFilter { get; set; }
}
