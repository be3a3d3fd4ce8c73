using System.Text.Json.Nodes;
using JournalPump.Core.Checkpoints;
using JournalPump.Core.Filtering;
using JournalPump.Core.Formatting;
using JournalPump.Core.Metrics;
using JournalPump.Core.Pipeline;
using JournalPump.Core.Redaction;
using JournalPump.Host.Config;
using Microsoft.Extensions.Logging;
using Systemd.Journal;
using CoreInitialPosition = JournalPump.Core.Pipeline.InitialPosition;
using InitialPositionKind = JournalPump.Host.Config.InitialPositionKind;

namespace JournalPump.Host.Daemon;

/// <summary>A pump's options and the objects that must be disposed with it.</summary>
internal sealed class ComposedPump(PumpOptions options, IReadOnlyList<IDisposable> disposables) : IDisposable
{
    public PumpOptions Options { get; } = options;

    public void Dispose()
    {
        foreach (var disposable in disposables)
        {
            disposable.Dispose();
        }
    }
}

/// <summary>What a sink is created for.</summary>
/// <param name="Reader">The reader's name.</param>
/// <param name="Sender">The sender's configuration.</param>
/// <param name="Metrics">Where the sink may count its own events.</param>
/// <param name="Tags">The sender's metric tags (the pump's tags, <c>reader</c>, <c>sender</c>), as the pipeline's.</param>
internal sealed record SinkRequest(string Reader, SenderConfig Sender, IPumpMetrics Metrics, IReadOnlyList<MetricTag> Tags);

/// <summary>Maps a validated journalpump configuration onto JournalPump.Core's pipeline.</summary>
internal static class PumpComposer
{
    /// <summary>libsystemd's default data threshold; journalpump leaves it alone (spec 3.1) and so do we.</summary>
    public const long LibsystemdDefaultDataThreshold = 64 * 1024;

    /// <summary>The most record bytes a Kafka output sends in one batch (delivery reports awaited together).</summary>
    public const int KafkaMaxBatchBytes = 8 * 1024 * 1024;

    public static ComposedPump Compose(
        PumpConfig config,
        PumpCheckpoint checkpoint,
        Func<SinkRequest, IJournalSink> createSink,
        IPumpMetrics metrics,
        ILoggerFactory loggers,
        TimeProvider time)
    {
        var disposables = new List<IDisposable>();
        IReadOnlyList<MetricTag> pumpTags = [.. config.Tags.Select(t => new MetricTag(t.Key, t.Value))];
        var regex = PythonRegexOptions.FromEnvironment();
        var readers = new List<JournalReaderOptions>();
        foreach (var reader in config.Readers)
        {
            var chain = CreateFilterChain(config, reader, pumpTags, regex, metrics, loggers, time);
            if (chain is not null)
            {
                disposables.Add(chain);
            }

            var senders = new List<JournalSenderOptions>();
            foreach (var sender in reader.Senders)
            {
                var extra = ExtraFields(sender);
                var fieldFilter = sender.FieldFilter is { } ff ? CreateFieldFilter(config.FieldFilters.First(f => f.Name == ff)) : null;
                var unitLevels = sender.UnitLogLevel is { } ul ? CreateUnitLogLevels(config.UnitLogLevels.First(u => u.Name == ul), extra) : null;
                string readerName = reader.Name;
                senders.Add(new JournalSenderOptions
                {
                    Name = sender.Name,
                    Type = sender.Settings.StateTypeName,
                    CreateSink = () => createSink(new SinkRequest(readerName, sender, metrics, [.. pumpTags, new MetricTag("reader", readerName), new MetricTag("sender", sender.Name)])),
                    Formatter = new JournalJsonFormatterOptions { ExtraFieldValues = extra, KeyFilter = fieldFilter },
                    Accept = unitLevels is null ? null : unitLevels.Includes,
                    Delivery = Delivery(config, sender),
                    ResumeCursor = checkpoint.SentCursor(reader.Name, sender.Name),
                });
            }

            readers.Add(new JournalReaderOptions
            {
                Name = reader.Name,
                Open = Opener(reader),
                InitialPosition = reader.InitialPosition.Kind switch
                {
                    InitialPositionKind.Tail => CoreInitialPosition.Tail,
                    InitialPositionKind.MonotonicSeconds => CoreInitialPosition.FromBootSeconds(reader.InitialPosition.Seconds),
                    _ => CoreInitialPosition.Head,
                },
                UnitsToMatch = reader.UnitsToMatch,
                EntryFilter = chain,
                Senders = senders,
                MaxBufferRecords = config.MsgBufferMaxLength,
                MaxBufferBytes = config.MsgBufferMaxBytes,
                Tags = pumpTags,
            });
        }

        return new ComposedPump(new PumpOptions { Readers = readers }, disposables);
    }

    /// <summary>How a reader opens its journal (spec 3.1): a directory, files, a namespace, or the local journal.</summary>
    private static Func<Journal> Opener(ReaderConfig reader)
    {
        var flags = reader.EffectiveJournalFlags;
        Func<Journal> open = reader switch
        {
            { JournalPath: { } path } => () => Journal.OpenDirectory(path, flags & JournalOpenFlags.OsRoot),
            { JournalFiles: { } files } => () => Journal.OpenFiles(files),
            { JournalNamespace: { } ns } => () => Journal.OpenNamespace(ns, flags),
            _ => () => Journal.Open(flags),
        };
        return () =>
        {
            var journal = open();
            journal.DataThreshold = LibsystemdDefaultDataThreshold;
            return journal;
        };
    }

    private static EntryFilterChain? CreateFilterChain(
        PumpConfig config,
        ReaderConfig reader,
        IReadOnlyList<MetricTag> pumpTags,
        PythonRegexOptions regex,
        IPumpMetrics metrics,
        ILoggerFactory loggers,
        TimeProvider time)
    {
        bool any = config.Match is not null || reader.Match is not null || reader.Searches.Count > 0 || reader.SecretFilters is { Count: > 0 };
        if (!any)
        {
            return null;
        }

        return new EntryFilterChain(
            new EntryFilterChainOptions
            {
                ReaderName = reader.Name,
                PumpTags = pumpTags,
                PumpMatch = Match(config.Match),
                ReaderMatch = Match(reader.Match),
                Searches = [.. reader.Searches.Select(s => new SearchOptions
                {
                    Name = s.Name,
                    Fields = s.Fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal),
                    Tags = [.. s.Tags.Select(t => new MetricTag(t.Name, t.Value))],
                })],
                ThresholdForMetricEmit = TimeSpan.FromSeconds(reader.ThresholdForMetricEmit),
                SecretFilters = [.. (reader.SecretFilters ?? []).Select(f => new SecretFilterOptions { Pattern = f.Pattern, Replacement = f.Replacement })],
                SecretFilterMetrics = reader.SecretFilterMetrics,
                Regex = regex,
            },
            metrics,
            loggers.CreateLogger("JournalPump.Reader." + reader.Name),
            time);
    }

    private static MatchFilter Match(MatchConfig? match) =>
        match is null ? MatchFilter.None : new MatchFilter(match.Key, match.Value is { } v ? JsonNode.Parse(v.GetRawText()) : null);

    private static FieldFilter CreateFieldFilter(FieldFilterConfig filter) => new(new FieldFilterOptions
    {
        Type = filter.Mode == FieldFilterMode.Whitelist ? FieldFilterType.Whitelist : FieldFilterType.Blacklist,
        Fields = filter.Fields,
    });

    private static UnitLogLevelFilter CreateUnitLogLevels(UnitLogLevelsConfig levels, JsonObject? extra) => new(
        levels.Rules.Select(r => new Core.Filtering.UnitLogLevelRule { ServiceGlob = r.ServiceGlob, LogLevel = (JournalPriority)r.Level }),
        extra);

    private static JsonObject? ExtraFields(SenderConfig sender)
    {
        if (sender.ExtraFieldValues.Count == 0)
        {
            return null;
        }

        var extra = new JsonObject();
        foreach (var (key, value) in sender.ExtraFieldValues)
        {
            extra[key] = JsonNode.Parse(value.GetRawText());
        }

        return extra;
    }

    private static DeliveryOptions Delivery(PumpConfig config, SenderConfig sender) => new()
    {
        // A file write is cheap: send as soon as records are there (the batch grows while a write is in
        // flight). Network sinks wait up to max_send_interval to fill a batch, as journalpump does.
        Linger = sender.Settings is FileSenderSettings ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(sender.MaxSendInterval, 1)),

        // Kafka splits batches into its own requests, so a batch may be larger than journalpump's 1 MiB: half the
        // sender's queue, so that the reader fills the next batch while one waits for its delivery reports.
        MaxBatchBytes = sender.Settings is KafkaSenderSettings
            ? Math.Clamp(config.MsgBufferMaxBytes / 2, DeliveryOptions.DefaultMaxBatchBytes, KafkaMaxBatchBytes)
            : DeliveryOptions.DefaultMaxBatchBytes,
    };
}
