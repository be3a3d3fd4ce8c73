using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JournalPump.Core.Filtering;
using JournalPump.Core.Metrics;
using JournalPump.Core.Redaction;

namespace JournalPump.Core.Tests.Formatting;

/// <summary>Builds the filters a golden case's config asks for (and says which metrics are the pipeline's), the way the host maps config keys to options.</summary>
internal static class GoldenFilters
{
    private static readonly string[] PeriodicMetrics =
    [
        "journal.last_read_ago", "journal.last_sent_ago", "journal.read_bytes", "journal.read_lines",
        "journal.sent_bytes", "journal.sent_lines", "journal.status",

        // Emitted by the pipeline when the formatter writes the oversize stub, not by a filter.
        "journal.read_error",
    ];

    public static EntryFilterChain Chain(JsonObject config, JsonObject reader, IPumpMetrics metrics) =>
        new(
            new EntryFilterChainOptions
            {
                ReaderName = "golden",
                PumpTags = Tags(config["tags"]),
                PumpMatch = new MatchFilter(config["match_key"]?.GetValue<string>(), config["match_value"]),
                ReaderMatch = new MatchFilter(reader["match_key"]?.GetValue<string>(), reader["match_value"]),
                Searches = (reader["searches"]?.AsArray() ?? []).Select(s => new SearchOptions
                {
                    Name = s!["name"]!.GetValue<string>(),
                    Fields = (s["fields"]?.AsObject() ?? []).ToDictionary(f => f.Key, f => f.Value!.GetValue<string>()),
                    Tags = Tags(s["tags"]),
                }).ToList(),
                SecretFilters = (reader["secret_filters"]?.AsArray() ?? []).Select(f => new SecretFilterOptions
                {
                    Pattern = f!["pattern"]!.GetValue<string>(),
                    Replacement = f["replacement"]!.GetValue<string>(),
                }).ToList(),
                SecretFilterMetrics = reader["secret_filter_metrics"]?.GetValueKind() == JsonValueKind.True,
            },
            metrics);

    public static SenderFilter Sender(JsonObject config, JsonObject sender)
    {
        FieldFilter? fieldFilter = null;
        if (sender["field_filter"]?.GetValue<string>() is { } filterName)
        {
            var definition = config["field_filters"]![filterName]!;
            fieldFilter = new FieldFilter(new FieldFilterOptions
            {
                Type = FieldFilterOptions.ParseType(definition["type"]?.GetValue<string>()),
                Fields = [.. definition["fields"]!.AsArray().Select(f => f!.GetValue<string>())],
            });
        }

        UnitLogLevelFilter? levels = null;
        if (sender["unit_log_level"]?.GetValue<string>() is { } levelsName)
        {
            levels = new UnitLogLevelFilter(
                config["unit_log_levels"]![levelsName]!.AsArray().Select(r => new UnitLogLevelRule
                {
                    ServiceGlob = r!["service_glob"]!.GetValue<string>(),
                    LogLevel = UnitLogLevelRule.ParseLevel(r["log_level"]!.GetValue<string>()),
                }),
                sender["extra_field_values"]?.AsObject());
        }

        return new SenderFilter(levels, fieldFilter);
    }

    public static UnitsToMatch Units(JsonObject reader) =>
        new((reader["units_to_match"]?.AsArray() ?? []).Select(u => u!.GetValue<string>()));

    public static bool IsPeriodic(string datagram)
    {
        string name = datagram[..datagram.IndexOfAny([',', ':'])];
        return PeriodicMetrics.Any(p => name.EndsWith(p, StringComparison.Ordinal));
    }

    public static List<MetricTag> Tags(JsonNode? node) =>
        [.. (node?.AsObject() ?? []).Select(t => new MetricTag(t.Key, t.Value!.GetValue<string>()))];
}

/// <summary>Collects the datagrams <see cref="StatsdMetrics"/> would send for a case's statsd settings.</summary>
internal sealed class RecordingMetrics : IPumpMetrics, IDisposable
{
    private readonly StatsdMetrics _format;
    private readonly Lock _lock = new();
    private readonly List<string> _datagrams = [];

    public RecordingMetrics(JsonObject? config = null)
    {
        var statsd = config?["statsd"];
        _format = new StatsdMetrics(new StatsdMetricsOptions
        {
            Host = "127.0.0.1",
            Port = 9,
            Prefix = statsd?["prefix"]?.GetValue<string>() ?? "",
            Tags = GoldenFilters.Tags(statsd?["tags"]),
        });
    }

    public IReadOnlyList<string> Datagrams
    {
        get
        {
            lock (_lock)
            {
                return [.. _datagrams];
            }
        }
    }

    public void Increment(string name, IReadOnlyList<MetricTag> tags, long value = 1) =>
        Add(_format.Format(name, tags, value.ToString(CultureInfo.InvariantCulture), "c"));

    public void Gauge(string name, long value, IReadOnlyList<MetricTag> tags) =>
        Add(_format.Format(name, tags, value.ToString(CultureInfo.InvariantCulture), "g"));

    public void Gauge(string name, double value, IReadOnlyList<MetricTag> tags) =>
        Add(_format.Format(name, tags, value.ToString("R", CultureInfo.InvariantCulture), "g"));

    public void Dispose() => _format.Dispose();

    private void Add(string datagram)
    {
        lock (_lock)
        {
            _datagrams.Add(datagram);
        }
    }
}
