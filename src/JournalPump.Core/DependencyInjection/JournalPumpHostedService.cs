using JournalPump.Core.Checkpoints;
using JournalPump.Core.Metrics;
using JournalPump.Core.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JournalPump.Core.DependencyInjection;

/// <summary>How <see cref="JournalPumpHostedService"/> builds and checkpoints its pump.</summary>
public sealed class JournalPumpServiceOptions
{
    /// <summary>Builds the pump's options from the positions of the state file (use <see cref="PumpCheckpoint.SentCursor"/> for each sender's <see cref="JournalSenderOptions.ResumeCursor"/>).</summary>
    public Func<IServiceProvider, PumpCheckpoint, PumpOptions>? Build { get; set; }

    /// <summary>Where positions are kept between runs (journalpump's state file format); <see langword="null"/> keeps none.</summary>
    public string? StateFilePath { get; set; }

    /// <summary>How often the state file is written while running (it is also written at stop).</summary>
    public TimeSpan StateInterval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Runs a <see cref="PumpEngine"/> in a generic host: starts it with the host (the host starts only once
/// every reader is open), writes the state file periodically and after a graceful stop, and stops the
/// host with an error when the pump fails.
/// </summary>
public sealed class JournalPumpHostedService : IHostedService, IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly JournalPumpServiceOptions _options;
    private readonly IPumpMetrics _metrics;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private PumpEngine? _engine;
    private Task? _background;
    private DateTimeOffset _startTime;

    /// <summary>Creates the service; the DI container calls this.</summary>
    /// <param name="services">The container, handed to <see cref="JournalPumpServiceOptions.Build"/>.</param>
    /// <param name="options">How to build and checkpoint the pump.</param>
    /// <param name="metrics">Where metrics go; none when not registered.</param>
    /// <param name="loggers">Where logs go.</param>
    /// <param name="time">The clock.</param>
    /// <param name="lifetime">Stopped with an error when the pump fails.</param>
    public JournalPumpHostedService(
        IServiceProvider services,
        Microsoft.Extensions.Options.IOptions<JournalPumpServiceOptions> options,
        IPumpMetrics? metrics = null,
        ILoggerFactory? loggers = null,
        TimeProvider? time = null,
        IHostApplicationLifetime? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _services = services;
        _options = options.Value;
        _metrics = metrics ?? NullPumpMetrics.Instance;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _time = time ?? TimeProvider.System;
        _lifetime = lifetime;
        _logger = _loggers.CreateLogger<JournalPumpHostedService>();
    }

    /// <summary>The running pump, once started.</summary>
    public PumpEngine? Engine => _engine;

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var build = _options.Build ?? throw new InvalidOperationException("JournalPumpServiceOptions.Build is not set: call AddJournalPump with a builder.");
        var checkpoint = _options.StateFilePath is { } path ? PumpStateFile.Read(path) : PumpCheckpoint.Empty;
        var options = build(_services, checkpoint);
        PumpOptionsValidator.ThrowIfInvalid(options);
        _startTime = _time.GetUtcNow();
        _engine = new PumpEngine(options, _metrics, _loggers, _time);
        await _engine.StartAsync(cancellationToken).ConfigureAwait(false);
        _background = RunAsync(_engine, _stopping.Token);
    }

    private async Task RunAsync(PumpEngine engine, CancellationToken cancellationToken)
    {
        try
        {
            while (!engine.Completion.IsCompleted)
            {
                await Task.WhenAny(Task.Delay(_options.StateInterval, _time, cancellationToken), engine.Completion).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                WriteState(engine);
            }

            await engine.Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed pump stops the host: that is how a generic host reports a background failure.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.PumpFailed(_logger, e);
            Environment.ExitCode = 1;
            _lifetime?.StopApplication();
        }
    }

    private void WriteState(PumpEngine engine)
    {
        if (_options.StateFilePath is { } path)
        {
            PumpStateFile.Write(path, engine.GetState(), _startTime);
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_engine is null)
        {
            return;
        }

        await _engine.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_background is not null)
        {
            await _background.ConfigureAwait(false);
        }

        WriteState(_engine);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
