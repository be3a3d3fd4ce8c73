using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using JournalPump.Core.Checkpoints;
using JournalPump.Core.Metrics;
using JournalPump.Core.Pipeline;
using JournalPump.Host.Config;
using Microsoft.Extensions.Logging;

namespace JournalPump.Host.Daemon;

/// <summary>What the daemon needs from its surroundings; tests give their own.</summary>
internal sealed class DaemonServices
{
    public required ILoggerFactory Loggers { get; init; }

    /// <summary>Sends one sd_notify message (<c>READY=1</c>, <c>STATUS=...</c>); a no-op outside systemd.</summary>
    public Action<string> Notify { get; init; } = static _ => { };

    /// <summary>Changes the minimum log level (config <c>log_level</c>, also on reload).</summary>
    public Action<PumpLogLevel> SetLogLevel { get; init; } = static _ => { };

    /// <summary>Creates a sender's sink.</summary>
    public required Func<SinkRequest, IJournalSink> CreateSink { get; init; }

    /// <summary>Creates the metrics client for a configuration (statsd when configured).</summary>
    public Func<PumpConfig, IPumpMetrics> CreateMetrics { get; init; } = static _ => NullPumpMetrics.Instance;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How often the state file is written.</summary>
    public TimeSpan StateInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The least time between two state writes caused by acknowledgements: each fsyncs the outputs, which
    /// costs throughput when writes come back to back. A crash re-sends what was acknowledged since.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long senders may deliver what they hold after SIGTERM.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Called for SIGHUP after the config is handled (the file sink reopens its file).</summary>
    public Action Reopen { get; init; } = static () => { };

    /// <summary>Called before the state file is written: make delivered data durable (fsync).</summary>
    public Func<CancellationToken, ValueTask> Sync { get; init; } = static _ => ValueTask.CompletedTask;
}

/// <summary>
/// The running daemon: composes the pipeline from the configuration, resumes every sender from the state
/// file, writes the state every 10 s and at shutdown, answers SIGTERM/SIGINT (graceful stop, exit 0),
/// SIGHUP (reload; a bad new config keeps the old one) and speaks sd_notify.
/// </summary>
internal sealed class PumpDaemon : IDisposable
{
    private readonly string _configPath;
    private readonly DaemonServices _services;
    private readonly ILogger _logger;
    private readonly ConfigLoader _loader;
    private readonly DateTimeOffset _startTime;
    private PumpConfig _config;
    private JsonNode? _readersJson;
    private DateTime _configChanged;
    private Running? _current;

    // Positions are written after acknowledgements (coalesced, at most one write per CheckpointInterval),
    // so that a crash re-sends little; one write at a time.
    private readonly System.Threading.Channels.Channel<bool> _checkpointMoved =
        System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _stateGate = new(1, 1);

    public PumpDaemon(string configPath, PumpConfig config, ConfigLoader loader, DaemonServices services)
    {
        _configPath = configPath;
        _config = config;
        _loader = loader;
        _services = services;
        _logger = services.Loggers.CreateLogger("journalpump");
        _startTime = services.Time.GetUtcNow();
        _readersJson = ReadersJson(configPath);
        _configChanged = ChangeTime(configPath);
    }

    public void Dispose() => _stateGate.Dispose();

    /// <summary>False once the pump has failed: the watchdog stops pinging, and systemd restarts us.</summary>
    public bool IsHealthy => _current?.Engine.Completion.IsFaulted != true;

    public async Task<int> RunAsync(CancellationToken stopToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopToken);
        using var abort = new CancellationTokenSource();
        var reload = System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
        string signalName = "a stop request";
        void OnStop(PosixSignalContext context, string name)
        {
            context.Cancel = true;
            if (stop.IsCancellationRequested)
            {
                abort.Cancel(); // a second signal ends the grace period
                return;
            }

            signalName = name;
            stop.Cancel();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnStop(c, "SIGTERM"));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnStop(c, "SIGINT"));
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c =>
        {
            c.Cancel = true;
            reload.Writer.TryWrite(true);
        });

        _services.SetLogLevel(_config.LogLevel);
        if (_config.JsonStateFilePath is null)
        {
            DaemonLog.NoStateFile(_logger);
        }

        var metrics = _services.CreateMetrics(_config);
        var checkpoint = ReadCheckpoint(metrics);
        var running = _current = await StartAsync(checkpoint, metrics, stop.Token).ConfigureAwait(false);
        if (running is null)
        {
            return stop.IsCancellationRequested ? ExitCodes.Success : ExitCodes.Failure;
        }

        using var stopWriter = new CancellationTokenSource();
        var stateWriter = WriteStateOnCheckpointsAsync(stopWriter.Token);
        _services.Notify("READY=1");
        int senders = _config.Readers.Sum(r => r.Senders.Count);
        DaemonLog.Started(_logger, CommandLine.Version, _config.Readers.Count, senders);
        _services.Notify("STATUS=" + Status(running.Engine));
        try
        {
            var tick = Task.Delay(_services.StateInterval, _services.Time, stop.Token);
            var hup = reload.Reader.WaitToReadAsync(stop.Token).AsTask();
            while (true)
            {
                await Task.WhenAny(tick, hup, running.Engine.Completion).ConfigureAwait(false);

                if (stop.IsCancellationRequested)
                {
                    break;
                }

                if (running.Engine.Completion.IsCompleted)
                {
                    // Readers end only when stopped: ending by themselves is a failure.
                    var failure = running.Engine.Completion.Exception?.GetBaseException()
                        ?? new InvalidOperationException("The readers stopped without being asked to.");
                    DaemonLog.PumpFailed(_logger, failure);
                    await stopWriter.CancelAsync().ConfigureAwait(false);
                    await stateWriter.ConfigureAwait(false);
                    await StopAsync(running, abort.Token).ConfigureAwait(false);
                    return ExitCodes.Failure;
                }

                if (hup.IsCompleted)
                {
                    hup = reload.Reader.WaitToReadAsync(stop.Token).AsTask();
                    if (reload.Reader.TryRead(out _))
                    {
                        running = _current = await ReloadAsync(running, stop.Token).ConfigureAwait(false);
                    }

                    continue;
                }

                tick = Task.Delay(_services.StateInterval, _services.Time, stop.Token);
                await WriteStateAsync(running, stop.Token).ConfigureAwait(false);
                _services.Notify("STATUS=" + Status(running.Engine));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        _services.Notify("STOPPING=1");
        DaemonLog.Stopping(_logger, signalName, _services.ShutdownGrace.TotalSeconds);
        await stopWriter.CancelAsync().ConfigureAwait(false);
        await stateWriter.ConfigureAwait(false);
        await StopAsync(running, abort.Token).ConfigureAwait(false);
        DaemonLog.Stopped(_logger);
        return ExitCodes.Success;
    }

    private sealed record Running(PumpEngine Engine, ComposedPump Composed, IPumpMetrics Metrics);

    private async Task<Running?> StartAsync(PumpCheckpoint checkpoint, IPumpMetrics metrics, CancellationToken cancellationToken)
    {
        var composed = PumpComposer.Compose(_config, checkpoint, _services.CreateSink, metrics, _services.Loggers, _services.Time);
        var engine = new PumpEngine(
            new PumpOptions
            {
                Readers = composed.Options.Readers,
                ShutdownGracePeriod = _services.ShutdownGrace,
                CheckpointAdvanced = _config.JsonStateFilePath is null ? null : () => _checkpointMoved.Writer.TryWrite(true),
            },
            metrics,
            _services.Loggers,
            _services.Time);
        try
        {
            await engine.StartAsync(cancellationToken).ConfigureAwait(false);
            return new Running(engine, composed, metrics);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            DaemonLog.PumpFailed(_logger, e);
            await engine.DisposeAsync().ConfigureAwait(false);
            composed.Dispose();
            (metrics as IDisposable)?.Dispose();
            return null;
        }
        catch (OperationCanceledException)
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            composed.Dispose();
            (metrics as IDisposable)?.Dispose();
            return null;
        }
    }

    private async Task StopAsync(Running running, CancellationToken abort)
    {
        await running.Engine.StopAsync(abort).ConfigureAwait(false);
        await WriteStateAsync(running, CancellationToken.None).ConfigureAwait(false);
        await running.Engine.DisposeAsync().ConfigureAwait(false);
        running.Composed.Dispose();
        (running.Metrics as IDisposable)?.Dispose();
    }

    /// <summary>SIGHUP (spec 1.4): unchanged file → nothing; bad config → keep the old one; readers changed → rebuild from the in-memory positions.</summary>
    private async Task<Running> ReloadAsync(Running running, CancellationToken cancellationToken)
    {
        _services.Reopen();
        var changed = ChangeTime(_configPath);
        if (changed == _configChanged)
        {
            DaemonLog.ReloadIgnored(_logger, _configPath);
            return running;
        }

        _services.Notify("RELOADING=1");
        try
        {
            var result = _loader.LoadFile(_configPath);
            if (result.Config is null)
            {
                if (_logger.IsEnabled(LogLevel.Error))
                {
                    DaemonLog.ReloadRejected(_logger, _configPath, string.Join("; ", result.Errors.Select(p => p.ToString())));
                }

                running.Metrics.Increment("exception", [new MetricTag("where", "reload"), new MetricTag("exception", "InvalidConfiguration")]);
                return running;
            }

            _configChanged = changed;
            var readersJson = ReadersJson(_configPath);
            _config = result.Config;
            _services.SetLogLevel(_config.LogLevel);
            if (JsonNode.DeepEquals(readersJson, _readersJson))
            {
                DaemonLog.Reloaded(_logger, "readers unchanged: log_level applied, running readers kept");
                return running;
            }

            // Rebuild every reader from the positions in memory (not the possibly older state file).
            await _stateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            _current = null; // the checkpoint writer leaves the old pump alone from here on
            _stateGate.Release();
            await running.Engine.StopAsync(cancellationToken).ConfigureAwait(false);
            var state = running.Engine.GetState();
            await WriteStateAsync(running, CancellationToken.None).ConfigureAwait(false);
            await running.Engine.DisposeAsync().ConfigureAwait(false);
            running.Composed.Dispose();
            (running.Metrics as IDisposable)?.Dispose();

            _readersJson = readersJson;
            var next = await StartAsync(CheckpointFrom(state), _services.CreateMetrics(_config), cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The reloaded configuration could not start.");
            DaemonLog.Reloaded(_logger, "readers rebuilt");
            return next;
        }
        finally
        {
            _services.Notify("READY=1");
        }
    }

    /// <summary>Writes the state each time a checkpoint moved, coalescing moves that come during a write.</summary>
    private async Task WriteStateOnCheckpointsAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _checkpointMoved.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _checkpointMoved.Reader.TryRead(out _);
                long started = _services.Time.GetTimestamp();
                if (_current is { } running)
                {
                    await WriteStateAsync(running, cancellationToken).ConfigureAwait(false);
                }

                var rest = _services.CheckpointInterval - _services.Time.GetElapsedTime(started);
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, _services.Time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private PumpCheckpoint ReadCheckpoint(IPumpMetrics metrics)
    {
        if (_config.JsonStateFilePath is not { } path)
        {
            return PumpCheckpoint.Empty;
        }

        try
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            return PumpStateFile.Read(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            DaemonLog.StateReadFailed(_logger, path, e.Message);
            metrics.Increment("exception", [new MetricTag("where", "resume"), new MetricTag("exception", e.GetType().Name)]);
            return PumpCheckpoint.Empty;
        }
    }

    private async Task WriteStateAsync(Running running, CancellationToken cancellationToken)
    {
        if (_config.JsonStateFilePath is not { } path)
        {
            return;
        }

        await _stateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Snapshot first, then make everything delivered so far durable, then record it.
            var state = running.Engine.GetState();
            await _services.Sync(cancellationToken).ConfigureAwait(false);
            PumpStateFile.Write(path, state, _startTime);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DaemonLog.StateWriteFailed(_logger, path, e.Message);
        }
        finally
        {
            _stateGate.Release();
        }
    }

    private static PumpCheckpoint CheckpointFrom(IReadOnlyList<ReaderState> state) => new(
        state.ToDictionary(
            r => r.Name,
            r => new ReaderCheckpoint(r.ReadCursor, r.Senders.ToDictionary(s => s.Name, s => s.SentCursor, StringComparer.Ordinal)),
            StringComparer.Ordinal));

    private static string Status(PumpEngine engine)
    {
        var state = engine.GetState();
        long sent = state.Sum(r => r.Senders.Sum(s => s.SentCount));
        long queued = state.Sum(r => r.Senders.Sum(s => s.CurrentQueue));
        int down = state.Sum(r => r.Senders.Count(s => s.Status != SenderStatus.Connected));
        return $"{state.Count} reader(s); {sent} records delivered, {queued} queued" + (down > 0 ? $"; {down} sender(s) not connected" : "");
    }

    private static JsonNode? ReadersJson(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path))?["readers"]?.DeepClone();
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static DateTime ChangeTime(string path)
    {
        // ctime is not exposed; the last write time plus the size stands in for it.
        var info = new FileInfo(path);
        return info.Exists ? info.LastWriteTimeUtc.AddTicks(info.Length % 1000) : DateTime.MinValue;
    }
}
