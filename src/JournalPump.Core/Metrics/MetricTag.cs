namespace JournalPump.Core.Metrics;

/// <summary>A metric tag (Telegraf dialect: <c>,name=value</c>).</summary>
/// <param name="Name">The tag name.</param>
/// <param name="Value">The tag value.</param>
public readonly record struct MetricTag(string Name, string Value);
