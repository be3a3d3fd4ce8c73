using System.Globalization;
using Microsoft.Extensions.Logging;

namespace JournalPump.Host.Systemd;

/// <summary>
/// Pings the systemd watchdog (<c>WATCHDOG=1</c>) at half of <c>WatchdogSec</c>, but only while a health
/// callback says the service works (its readers and senders are alive): a stuck daemon stops pinging and
/// systemd restarts it. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class SystemdWatchdog : IDisposable
{
    /// <summary>The watchdog timeout systemd sets, in microseconds.</summary>
    public const string UsecVariable = "WATCHDOG_USEC";

    /// <summary>The pid the watchdog is meant for, when systemd sets it.</summary>
    public const string PidVariable = "WATCHDOG_PID";

    private readonly SystemdNotifier _notifier;
    private readonly Func<bool> _isHealthy;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private bool _withheld;
    private bool _disposed;

    /// <summary>Creates the watchdog; <see cref="Start"/> starts pinging.</summary>
    /// <param name="notifier">Where pings go.</param>
    /// <param name="timeout">The watchdog timeout (<c>WATCHDOG_USEC</c>); pings go every half of it.</param>
    /// <param name="isHealthy">Called before each ping; no ping when it returns false or throws.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public SystemdWatchdog(SystemdNotifier notifier, TimeSpan timeout, Func<bool> isHealthy, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(isHealthy);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _notifier = notifier;
        Timeout = timeout;
        _isHealthy = isHealthy;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The watchdog timeout.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>How often a ping is sent: half the timeout, as sd_watchdog_enabled(3) recommends.</summary>
    public TimeSpan Interval => Timeout / 2;

    /// <summary>
    /// The watchdog for this process, or null when systemd asks for none: <c>WATCHDOG_USEC</c> unset, or
    /// <c>WATCHDOG_PID</c> naming another process, or the notifier disabled.
    /// </summary>
    /// <param name="notifier">Where pings go.</param>
    /// <param name="isHealthy">The health check.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <returns>The watchdog, not started, or null.</returns>
    public static SystemdWatchdog? FromEnvironment(SystemdNotifier notifier, Func<bool> isHealthy, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(logger);
        if (!notifier.IsEnabled)
        {
            return null;
        }

        var timeout = ParseTimeout(
            Environment.GetEnvironmentVariable(UsecVariable),
            Environment.GetEnvironmentVariable(PidVariable),
            Environment.ProcessId,
            logger);
        return timeout is { } t ? new SystemdWatchdog(notifier, t, isHealthy, timeProvider, logger) : null;
    }

    /// <summary>The rules of sd_watchdog_enabled(3): the timeout, or null when the watchdog is not for us.</summary>
    /// <param name="watchdogUsec"><c>WATCHDOG_USEC</c>.</param>
    /// <param name="watchdogPid"><c>WATCHDOG_PID</c>.</param>
    /// <param name="processId">Our pid.</param>
    /// <param name="logger">Where a value that cannot be parsed is reported.</param>
    /// <returns>The timeout, or null.</returns>
    internal static TimeSpan? ParseTimeout(string? watchdogUsec, string? watchdogPid, int processId, ILogger logger)
    {
        if (string.IsNullOrEmpty(watchdogUsec))
        {
            return null;
        }

        if (!ulong.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out ulong usec) || usec == 0 || usec > (ulong)TimeSpan.MaxValue.TotalMicroseconds)
        {
            HostLog.WatchdogSettingsInvalid(logger, UsecVariable, watchdogUsec);
            return null;
        }

        if (!string.IsNullOrEmpty(watchdogPid))
        {
            if (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
            {
                HostLog.WatchdogSettingsInvalid(logger, PidVariable, watchdogPid);
                return null;
            }

            if (pid != processId)
            {
                // Meant for another process (we were started by a service's main process): not ours to ping.
                return null;
            }
        }

        return TimeSpan.FromMicroseconds(usec);
    }

    /// <summary>Starts pinging every <see cref="Interval"/>; the first ping goes one interval from now.</summary>
    public void Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_timer is not null)
            {
                return;
            }

            HostLog.WatchdogEnabled(_logger, Timeout, Interval);
            _timer = _timeProvider.CreateTimer(static state => ((SystemdWatchdog)state!).Tick(), this, Interval, Interval);
        }
    }

    /// <summary>Stops pinging.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    /// <summary>One period: ping if healthy.</summary>
    internal void Tick()
    {
        bool healthy;
        try
        {
            healthy = _isHealthy();
        }
#pragma warning disable CA1031 // A health check that throws is a failed health check; the timer thread must survive.
        catch (Exception)
#pragma warning restore CA1031
        {
            healthy = false;
        }

        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (!healthy)
            {
                if (!_withheld)
                {
                    _withheld = true;
                    HostLog.WatchdogWithheld(_logger);
                }

                return;
            }

            if (_withheld)
            {
                _withheld = false;
                HostLog.WatchdogResumed(_logger);
            }
        }

        _notifier.Watchdog();
    }
}
