using JournalPump.Core.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JournalPump.Core.Pipeline;

/// <summary>
/// Runs readers and their senders: one thread per reader owns its journal, one task per sender delivers.
/// Each sender's checkpoint advances only when its sink acknowledged the data, so a restart from
/// <see cref="GetState"/>'s cursors loses nothing (at least once).
/// </summary>
public sealed class PumpEngine : IAsyncDisposable
{
    private readonly PumpOptions _options;
    private readonly IPumpMetrics _metrics;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly List<JournalReaderLoop> _readers = [];
    private readonly List<(SinkRunner Runner, Task Task)> _runners = [];
    private readonly CancellationTokenSource _stopReading = new();
    private readonly CancellationTokenSource _stopSending = new();
    private readonly CancellationTokenSource _stopMetrics = new();
    private Task? _metricsLoop;
    private Task _completion = Task.CompletedTask;
    private int _started;
    private Task? _stopped;
    private bool _disposed;

    /// <summary>Creates the engine; nothing runs until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Readers and senders.</param>
    /// <param name="metrics">Where metrics go; none by default.</param>
    /// <param name="loggerFactory">Where logs go; none by default.</param>
    /// <param name="timeProvider">The clock for batching, backoff and metrics; the system clock by default.</param>
    public PumpEngine(PumpOptions options, IPumpMetrics? metrics = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _metrics = metrics ?? NullPumpMetrics.Instance;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("JournalPump.Core.Pipeline");
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Completes when every reader and sender has ended: after <see cref="StopAsync"/>, or by itself when
    /// every reader has <see cref="JournalReaderOptions.StopAtEnd"/> and all is delivered. Faults when a
    /// reader failed.
    /// </summary>
    public Task Completion => _completion;

    /// <summary>
    /// Creates the sinks, starts the reader threads and the senders, and returns once every reader has
    /// opened and positioned its journal.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for the readers to open.</param>
    /// <returns>A task that completes when all readers are open; faults when one could not open.</returns>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The pump is already started.");
        }

        foreach (var reader in _options.Readers)
        {
            var logger = _loggerFactory.CreateLogger("JournalPump.Reader." + reader.Name);
            var runners = new List<SinkRunner>();
            foreach (var sender in reader.Senders)
            {
                var sink = sender.CreateSink();
                var queue = new SenderQueue(reader.MaxBufferRecords, reader.MaxBufferBytes);
                IReadOnlyList<MetricTag> tags = [.. reader.Tags, new MetricTag("reader", reader.Name), new MetricTag("sender", sender.Name)];
                var runner = new SinkRunner(reader.Name, sender.Type, sink, queue, sender.Delivery, _metrics, tags, logger, _time, sender.ResumeCursor)
                {
                    CheckpointAdvanced = _options.CheckpointAdvanced,
                };
                runners.Add(runner);
                _runners.Add((runner, Task.Run(() => runner.RunAsync(_stopSending.Token), CancellationToken.None)));
            }

            var loop = new JournalReaderLoop(reader, runners, _metrics, logger, _time);
            _readers.Add(loop);
            loop.Start(_stopReading.Token);
        }

        _completion = CompleteAsync();
        _metricsLoop = EmitMetricsAsync(_stopMetrics.Token);
        await Task.WhenAll(_readers.Select(r => r.Opened)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CompleteAsync()
    {
        try
        {
            await Task.WhenAll(_readers.Select(r => r.Completion)).ConfigureAwait(false);
        }
        finally
        {
            // Readers complete their queues when they end; senders then drain them.
            await Task.WhenAll(_runners.Select(r => r.Task)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops reading, gives the senders <see cref="PumpOptions.ShutdownGracePeriod"/> to deliver what they
    /// hold, then cancels what is left (it stays behind the checkpoint and is read again on the next start)
    /// and flushes the sinks.
    /// </summary>
    /// <param name="cancellationToken">Ends the grace period early.</param>
    /// <returns>A task that completes when everything has stopped.</returns>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_runners)
        {
            return _stopped ??= StopOnceAsync(cancellationToken);
        }
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        await _stopReading.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_readers.Select(r => r.Completion.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default))).ConfigureAwait(false);

        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(_options.ShutdownGracePeriod);
        var drained = Task.WhenAll(_runners.Select(r => r.Task));
        try
        {
            await drained.WaitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            foreach (var (runner, task) in _runners)
            {
                if (!task.IsCompleted)
                {
                    Log.ShutdownTimedOut(_logger, runner.ReaderName, runner.Name);
                }
            }

            await _stopSending.CancelAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_runners.Select(r => r.Task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default))).ConfigureAwait(false);
        using var flush = new CancellationTokenSource(_options.ShutdownGracePeriod);
        foreach (var (runner, _) in _runners)
        {
            try
            {
                await runner.Sink.FlushAsync(flush.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (flush.IsCancellationRequested)
            {
                Log.ShutdownTimedOut(_logger, runner.ReaderName, runner.Name);
            }
        }

        await _stopMetrics.CancelAsync().ConfigureAwait(false);
        if (_metricsLoop is not null)
        {
            await _metricsLoop.ConfigureAwait(false);
        }
    }

    /// <summary>A snapshot of every reader and sender: positions, counters and status.</summary>
    /// <returns>One state per reader, in configuration order.</returns>
    public IReadOnlyList<ReaderState> GetState() => [.. _readers.Select(r => r.Snapshot())];

    /// <summary>Emits journalpump's periodic gauges once for every reader and sender.</summary>
    public void EmitPeriodicMetrics()
    {
        var now = _time.GetUtcNow();
        foreach (var reader in _readers)
        {
            var state = reader.Snapshot();
            var tags = reader.Tags;
            if (state.LastRead is { } lastRead)
            {
                _metrics.Gauge("journal.last_read_ago", (now - lastRead).TotalSeconds, tags);
            }

            reader.EntryFilter?.EmitPeriodicMetrics();
            _metrics.Gauge("journal.read_lines", state.TotalLines, tags);
            _metrics.Gauge("journal.read_bytes", state.TotalBytes, tags);
            foreach (var (runner, sender) in _runners.Where(r => r.Runner.ReaderName == reader.Name).Select(r => r.Runner).Zip(state.Senders))
            {
                if (sender.LastSent is { } lastSent)
                {
                    _metrics.Gauge("journal.last_sent_ago", (now - lastSent).TotalSeconds, runner.Tags);
                }

                _metrics.Gauge("journal.sent_lines", sender.SentCount, runner.Tags);
                _metrics.Gauge("journal.sent_bytes", sender.SentBytes, runner.Tags);
                _metrics.Gauge("journal.status", sender.Status switch
                {
                    SenderStatus.Connected => 3L,
                    SenderStatus.Stopped => 0L,
                    _ => 2L,
                }, runner.Tags);
            }
        }
    }

    private async Task EmitMetricsAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.MetricsInterval, _time, cancellationToken).ConfigureAwait(false);
                EmitPeriodicMetrics();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stops everything (as <see cref="StopAsync"/>) and disposes the sinks.</summary>
    /// <returns>A task that completes when disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_started != 0)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        foreach (var (runner, _) in _runners)
        {
            await runner.Sink.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var reader in _readers)
        {
            if (reader.Completion.IsCompleted)
            {
                reader.Dispose();
            }
        }

        _stopReading.Dispose();
        _stopSending.Dispose();
        _stopMetrics.Dispose();
    }
}
