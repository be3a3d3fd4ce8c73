using JournalPump.Core.Metrics;
using JournalPump.Core.Pipeline;
using JournalPump.Host.Config;
using JournalPump.Host.FileOutput;
using JournalPump.Host.Logging;
using JournalPump.Host.Systemd;
using JournalPump.Sinks.Kafka;
using Microsoft.Extensions.Logging;

namespace JournalPump.Host.Daemon;

/// <summary>Builds the real surroundings of <see cref="PumpDaemon"/>: logging, sd_notify, the watchdog, statsd, the sinks.</summary>
internal static class DaemonHost
{
    public static async Task<int> RunAsync(string configPath, PumpConfig config, ConfigLoader loader)
    {
        var levels = new LogLevelSwitch(JournalPumpLogLevels.ToLogLevel(config.LogLevel));
        using var loggers = LoggerFactory.Create(b => b.AddJournalPumpConsole(levels));
        var logger = loggers.CreateLogger("journalpump");
        using var notifier = SystemdNotifier.FromEnvironment(loggers.CreateLogger("JournalPump.Systemd"));
        var fileSinks = new List<FileSink>();

        var services = new DaemonServices
        {
            Loggers = loggers,
            Notify = message => notifier.Notify(message),
            SetLogLevel = level => levels.MinimumLevel = JournalPumpLogLevels.ToLogLevel(level),
            CreateSink = request => CreateSink(request, loggers, fileSinks),
            CreateMetrics = c => c.Statsd is { Host: { } host, Port: { } port }
                ? new StatsdMetrics(
                    new StatsdMetricsOptions { Host = host, Port = port, Prefix = c.Statsd.Prefix, Tags = [.. c.Statsd.Tags.Select(t => new MetricTag(t.Key, t.Value))] },
                    loggers.CreateLogger<StatsdMetrics>())
                : NullPumpMetrics.Instance,
            Reopen = () =>
            {
                lock (fileSinks)
                {
                    fileSinks.ForEach(s => s.Reopen());
                }
            },
            Sync = async ct =>
            {
                FileSink[] sinks;
                lock (fileSinks)
                {
                    sinks = [.. fileSinks];
                }

                foreach (var sink in sinks)
                {
                    await sink.FlushAsync(ct).ConfigureAwait(false);
                }
            },
        };

        using var daemon = new PumpDaemon(configPath, config, loader, services);
        using var watchdog = SystemdWatchdog.FromEnvironment(notifier, () => daemon.IsHealthy, TimeProvider.System, loggers.CreateLogger("JournalPump.Systemd"));
        watchdog?.Start();
        return await daemon.RunAsync().ConfigureAwait(false);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The sink factory returns the contract: each output type adds its sink here.")]
    private static IJournalSink CreateSink(SinkRequest request, ILoggerFactory loggers, List<FileSink> fileSinks)
    {
        var sender = request.Sender;
        var logger = loggers.CreateLogger($"JournalPump.Sender.{request.Reader}.{sender.Name}");
        switch (sender.Settings)
        {
            case KafkaSenderSettings kafka:
                return new KafkaSink(KafkaSinkFactory.Options(sender.Name, kafka, request.Metrics, request.Tags), logger);
            case FileSenderSettings file:
                var sink = new FileSink(sender.Name, new FileSinkOptions { Path = file.FileOutput }, logger);
                lock (fileSinks)
                {
                    fileSinks.Add(sink);
                }

                return sink;
            default:
                // Configuration validation refuses output types whose sink is not in this build.
                throw new InvalidOperationException($"output_type {sender.OutputType} is not available in this build");
        }
    }
}
