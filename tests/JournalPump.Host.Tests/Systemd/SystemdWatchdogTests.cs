using JournalPump.Host.Systemd;
using Microsoft.Extensions.Time.Testing;

namespace JournalPump.Host.Tests.Systemd;

/// <summary>The watchdog pinger, on a fake clock and a real notification socket.</summary>
public sealed class SystemdWatchdogTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    [CancelAfter(10_000)]
    public async Task Pings_at_half_the_timeout_while_healthy(CancellationToken ct)
    {
        using var socket = NotifySocket.AtPath();
        var logger = new ListLogger();
        using var notifier = new SystemdNotifier(socket.Address, logger);
        var time = new FakeTimeProvider();
        using var watchdog = new SystemdWatchdog(notifier, Timeout, () => true, time, logger);

        watchdog.Start();
        time.Advance(TimeSpan.FromSeconds(14.9));
        int beforeInterval = socket.Available;
        time.Advance(TimeSpan.FromSeconds(0.1));
        string first = await socket.ReceiveAsync(ct);
        time.Advance(TimeSpan.FromSeconds(15));
        string second = await socket.ReceiveAsync(ct);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(watchdog.Interval, Is.EqualTo(TimeSpan.FromSeconds(15)));
            Assert.That(beforeInterval, Is.Zero);
            Assert.That(first, Is.EqualTo("WATCHDOG=1"));
            Assert.That(second, Is.EqualTo("WATCHDOG=1"));
            Assert.That(logger.EventIds, Is.EqualTo(new[] { HostLog.Ids.WatchdogEnabled }));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Withholds_pings_while_unhealthy_and_resumes_after(CancellationToken ct)
    {
        using var socket = NotifySocket.AtPath();
        var logger = new ListLogger();
        using var notifier = new SystemdNotifier(socket.Address, logger);
        var time = new FakeTimeProvider();
        bool healthy = false;
        using var watchdog = new SystemdWatchdog(notifier, Timeout, () => healthy, time, logger);

        watchdog.Start();
        time.Advance(TimeSpan.FromSeconds(15));
        time.Advance(TimeSpan.FromSeconds(15));
        int whileUnhealthy = socket.Available;
        healthy = true;
        time.Advance(TimeSpan.FromSeconds(15));
        string resumed = await socket.ReceiveAsync(ct);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(whileUnhealthy, Is.Zero);
            Assert.That(resumed, Is.EqualTo("WATCHDOG=1"));
            Assert.That(
                logger.EventIds,
                Is.EqualTo(new[] { HostLog.Ids.WatchdogEnabled, HostLog.Ids.WatchdogWithheld, HostLog.Ids.WatchdogResumed }),
                "withheld is logged once, not per period");
        }
    }

    [Test]
    public void A_health_check_that_throws_withholds_the_ping()
    {
        using var socket = NotifySocket.AtPath();
        var logger = new ListLogger();
        using var notifier = new SystemdNotifier(socket.Address, logger);
        var time = new FakeTimeProvider();
        using var watchdog = new SystemdWatchdog(notifier, Timeout, () => throw new InvalidOperationException("reader thread died"), time, logger);

        watchdog.Start();
        time.Advance(TimeSpan.FromSeconds(15));

        Assert.That(socket.Available, Is.Zero);
        Assert.That(logger.Count(HostLog.Ids.WatchdogWithheld), Is.EqualTo(1));
    }

    [Test]
    public void Disposing_stops_the_pings()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Address, new ListLogger());
        var time = new FakeTimeProvider();
        var watchdog = new SystemdWatchdog(notifier, Timeout, () => true, time, new ListLogger());

        watchdog.Start();
        watchdog.Dispose();
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.That(socket.Available, Is.Zero);
    }

    [TestCase(null, null, null)]
    [TestCase("", null, null)]
    [TestCase("30000000", null, 30_000_000L)]
    [TestCase("30000000", "4242", 30_000_000L)]
    [TestCase("30000000", "1", null)]
    [TestCase("1500", null, 1_500L)]
    public void Timeout_follows_sd_watchdog_enabled(string? usec, string? pid, long? expectedUsec)
    {
        var logger = new ListLogger();

        var timeout = SystemdWatchdog.ParseTimeout(usec, pid, 4242, logger);

        Assert.That(timeout, Is.EqualTo(expectedUsec is { } u ? TimeSpan.FromMicroseconds(u) : (TimeSpan?)null));
        Assert.That(logger.Entries, Is.Empty);
    }

    [TestCase("thirty", null, SystemdWatchdog.UsecVariable)]
    [TestCase("0", null, SystemdWatchdog.UsecVariable)]
    [TestCase("-5", null, SystemdWatchdog.UsecVariable)]
    [TestCase("30000000", "me", SystemdWatchdog.PidVariable)]
    public void Malformed_settings_are_reported_and_disable_the_watchdog(string usec, string? pid, string variable)
    {
        var logger = new ListLogger();

        var timeout = SystemdWatchdog.ParseTimeout(usec, pid, 4242, logger);

        Assert.That(timeout, Is.Null);
        Assert.That(logger.EventIds, Is.EqualTo(new[] { HostLog.Ids.WatchdogSettingsInvalid }));
        Assert.That(logger.Entries[0].Message, Does.Contain(variable));
    }

    [Test]
    public void No_watchdog_without_a_notification_socket()
    {
        using var notifier = new SystemdNotifier(null, new ListLogger());

        Assert.That(SystemdWatchdog.FromEnvironment(notifier, () => true, new FakeTimeProvider(), new ListLogger()), Is.Null);
    }
}
