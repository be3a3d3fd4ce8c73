using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using JournalPump.Host.Systemd;

namespace JournalPump.Host.Tests.Systemd;

/// <summary>sd_notify against a real unix datagram socket.</summary>
public sealed class SystemdNotifierTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task Sends_each_message_to_a_socket_path(CancellationToken ct)
    {
        using var socket = NotifySocket.AtPath();
        var logger = new ListLogger();
        using var notifier = new SystemdNotifier(socket.Address, logger);

        notifier.Ready();
        notifier.Stopping();
        notifier.Watchdog();
        notifier.Status("Running: 2 readers, 3 senders");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(notifier.IsEnabled, Is.True);
            Assert.That(await socket.ReceiveAsync(ct), Is.EqualTo("READY=1"));
            Assert.That(await socket.ReceiveAsync(ct), Is.EqualTo("STOPPING=1"));
            Assert.That(await socket.ReceiveAsync(ct), Is.EqualTo("WATCHDOG=1"));
            Assert.That(await socket.ReceiveAsync(ct), Is.EqualTo("STATUS=Running: 2 readers, 3 senders"));
            Assert.That(logger.Entries, Is.Empty);
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Sends_to_an_abstract_socket_named_with_an_at_sign(CancellationToken ct)
    {
        using var socket = NotifySocket.Abstract();
        using var notifier = new SystemdNotifier(socket.Address, new ListLogger());

        notifier.Ready();

        Assert.That(await socket.ReceiveAsync(ct), Is.EqualTo("READY=1"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Reloading_carries_the_monotonic_clock_in_microseconds(CancellationToken ct)
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Address, new ListLogger());

        long before = Stopwatch.GetTimestamp();
        notifier.Reloading();
        long after = Stopwatch.GetTimestamp();

        string[] lines = (await socket.ReceiveAsync(ct)).Split('\n');
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Is.EqualTo("RELOADING=1"));
        Assert.That(lines[1], Does.StartWith("MONOTONIC_USEC="));
        long usec = long.Parse(lines[1]["MONOTONIC_USEC=".Length..], CultureInfo.InvariantCulture);
        Assert.That(usec, Is.InRange(ToUsec(before), ToUsec(after)));

        // CLOCK_MONOTONIC, which systemd compares it with, is the uptime clock (without suspend).
        double uptime = double.Parse((await File.ReadAllTextAsync("/proc/uptime", ct)).Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.That(usec / 1e6, Is.LessThanOrEqualTo(uptime + 1));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task A_raw_RELOADING_gets_the_monotonic_time_added_once(CancellationToken ct)
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Address, new ListLogger());

        notifier.Notify("RELOADING=1");
        notifier.Notify("RELOADING=1\nMONOTONIC_USEC=42");
        notifier.Notify("STATUS=RELOADING=1 is not a reload");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await socket.ReceiveAsync(ct), Does.Match("^RELOADING=1\nMONOTONIC_USEC=[0-9]+$"));
            Assert.That(await socket.ReceiveAsync(ct), Is.EqualTo("RELOADING=1\nMONOTONIC_USEC=42"));
            Assert.That(await socket.ReceiveAsync(ct), Is.EqualTo("STATUS=RELOADING=1 is not a reload"));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Status_is_sent_on_one_line(CancellationToken ct)
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Address, new ListLogger());

        notifier.Status("sender kafka:\r\nbroker down\nretrying");

        Assert.That(await socket.ReceiveAsync(ct), Is.EqualTo("STATUS=sender kafka: broker down retrying"));
    }

    [TestCase(null)]
    [TestCase("")]
    public void Without_a_socket_every_call_is_a_no_op(string? address)
    {
        var logger = new ListLogger();
        using var notifier = new SystemdNotifier(address, logger);

        notifier.Ready();
        notifier.Reloading();
        notifier.Status("x");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(notifier.IsEnabled, Is.False);
            Assert.That(notifier.Notify("READY=1"), Is.False);
            Assert.That(logger.Entries, Is.Empty);
        }
    }

    [TestCase("relative/notify.sock", "must start with '/' or '@'")]
    [TestCase("@", "must start with '/' or '@'")]
    [TestCase("vsock:2:1234", "AF_VSOCK")]
    public void A_malformed_address_is_reported_and_disables_notifications(string address, string reason)
    {
        var logger = new ListLogger();
        using var notifier = new SystemdNotifier(address, logger);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(notifier.IsEnabled, Is.False);
            Assert.That(logger.EventIds, Is.EqualTo(new[] { HostLog.Ids.NotifySocketInvalid }));
            Assert.That(logger.Entries[0].Message, Does.Contain(address).And.Contain(reason));
            Assert.That(notifier.Notify("READY=1"), Is.False);
        }
    }

    [Test]
    public void A_path_longer_than_sun_path_is_reported()
    {
        var logger = new ListLogger();
        using var notifier = new SystemdNotifier("/" + new string('x', 200), logger);

        Assert.That(notifier.IsEnabled, Is.False);
        Assert.That(logger.EventIds, Is.EqualTo(new[] { HostLog.Ids.NotifySocketInvalid }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task A_failing_send_is_logged_once_and_recovery_is_logged(CancellationToken ct)
    {
        string directory = Directory.CreateTempSubdirectory("notify-").FullName;
        try
        {
            string path = Path.Combine(directory, "notify.sock");
            var logger = new ListLogger();
            using var notifier = new SystemdNotifier(path, logger);

            bool first = notifier.Notify("READY=1");
            bool second = notifier.Notify("WATCHDOG=1");

            using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            receiver.Bind(new UnixDomainSocketEndPoint(path));
            bool third = notifier.Notify("READY=1");
            byte[] buffer = new byte[64];
            int received = await receiver.ReceiveAsync(buffer, SocketFlags.None, ct);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(first, Is.False);
                Assert.That(second, Is.False);
                Assert.That(third, Is.True);
                Assert.That(received, Is.EqualTo("READY=1".Length));
                Assert.That(logger.EventIds, Is.EqualTo(new[] { HostLog.Ids.NotifySendFailed, HostLog.Ids.NotifySendRecovered }));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void Disposed_notifier_sends_nothing()
    {
        using var socket = NotifySocket.AtPath();
        var notifier = new SystemdNotifier(socket.Address, new ListLogger());
        notifier.Dispose();

        Assert.That(notifier.Notify("READY=1"), Is.False);
        Assert.That(socket.Available, Is.Zero);
    }

    private static long ToUsec(long timestamp) => (long)((Int128)timestamp * 1_000_000 / Stopwatch.Frequency);
}
