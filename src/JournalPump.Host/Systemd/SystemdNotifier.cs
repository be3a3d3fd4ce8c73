using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace JournalPump.Host.Systemd;

/// <summary>
/// sd_notify(3) over the unix datagram socket systemd names in <c>NOTIFY_SOCKET</c> (a path, or an abstract
/// name written <c>@name</c>). Every method is a no-op when there is no socket. A failed send is logged once
/// per run of failures and never thrown: the service keeps running. Thread-safe.
/// </summary>
internal sealed class SystemdNotifier : IDisposable
{
    /// <summary>The environment variable systemd sets for Type=notify services.</summary>
    public const string SocketVariable = "NOTIFY_SOCKET";

    private readonly ILogger _logger;
    private readonly UnixDomainSocketEndPoint? _endPoint;
    private readonly Lock _lock = new();
    private Socket? _socket;
    private bool _failing;
    private bool _disposed;

    /// <summary>Creates a notifier for a socket address; null or empty disables it.</summary>
    /// <param name="socketPath">The <c>NOTIFY_SOCKET</c> value: an absolute path or <c>@abstract</c>. Anything
    /// else is logged as an error (event <see cref="HostLog.Ids.NotifySocketInvalid"/>) and disables the notifier.</param>
    /// <param name="logger">The logger.</param>
    public SystemdNotifier(string? socketPath, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        SocketPath = string.IsNullOrEmpty(socketPath) ? null : socketPath;
        if (SocketPath is null)
        {
            return;
        }

        if (TryParseEndPoint(SocketPath, out _endPoint, out string? problem))
        {
            return;
        }

        HostLog.NotifySocketInvalid(logger, SocketPath, problem);
    }

    /// <summary>The socket address given, or null.</summary>
    public string? SocketPath { get; }

    /// <summary>Whether there is a usable socket to notify.</summary>
    public bool IsEnabled => _endPoint is not null;

    /// <summary>A notifier for this process's <c>NOTIFY_SOCKET</c>.</summary>
    /// <param name="logger">The logger.</param>
    /// <returns>The notifier; disabled when the variable is unset.</returns>
    public static SystemdNotifier FromEnvironment(ILogger logger) =>
        new(Environment.GetEnvironmentVariable(SocketVariable), logger);

    /// <summary><c>READY=1</c>: startup (or a reload) is complete.</summary>
    public void Ready() => Notify("READY=1");

    /// <summary>
    /// <c>RELOADING=1</c> with <c>MONOTONIC_USEC=</c> (CLOCK_MONOTONIC now), which systemd 253 and later
    /// require for Type=notify-reload and older versions ignore. Send <see cref="Ready"/> when done.
    /// </summary>
    public void Reloading() => Notify("RELOADING=1");

    /// <summary><c>STOPPING=1</c>: shutdown has begun.</summary>
    public void Stopping() => Notify("STOPPING=1");

    /// <summary><c>WATCHDOG=1</c>: the service is alive.</summary>
    public void Watchdog() => Notify("WATCHDOG=1");

    /// <summary><c>STATUS=</c>: a one-line status for <c>systemctl status</c>; line breaks become spaces.</summary>
    /// <param name="status">The status text.</param>
    public void Status(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        Notify("STATUS=" + status.ReplaceLineEndings(" "));
    }

    /// <summary>
    /// Sends one notification (newline-separated <c>KEY=value</c> assignments). A <c>RELOADING=1</c> without
    /// <c>MONOTONIC_USEC=</c> gets one added, as Type=notify-reload requires.
    /// </summary>
    /// <param name="state">The message.</param>
    /// <returns>Whether it was sent; false when disabled or the send failed.</returns>
    public bool Notify(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_endPoint is null)
        {
            return false;
        }

        byte[] message = Encoding.UTF8.GetBytes(WithMonotonicTime(state));
        lock (_lock)
        {
            if (_disposed)
            {
                return false;
            }

            try
            {
                _socket ??= new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                _socket.SendTo(message, SocketFlags.None, _endPoint);
            }
            catch (SocketException ex)
            {
                if (!_failing)
                {
                    _failing = true;
                    HostLog.NotifySendFailed(_logger, FirstLine(state), SocketPath!, ex.Message);
                }

                // A fresh socket next time: systemd may have been re-executed (daemon-reexec).
                _socket?.Dispose();
                _socket = null;
                return false;
            }

            if (_failing)
            {
                _failing = false;
                HostLog.NotifySendRecovered(_logger, SocketPath!);
            }

            return true;
        }
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _socket?.Dispose();
            _socket = null;
        }
    }

    /// <summary>Parses a <c>NOTIFY_SOCKET</c> value.</summary>
    /// <param name="value">The value.</param>
    /// <param name="endPoint">The address.</param>
    /// <param name="problem">Why it is not usable.</param>
    /// <returns>Whether it is a unix socket address.</returns>
    internal static bool TryParseEndPoint(string value, [NotNullWhen(true)] out UnixDomainSocketEndPoint? endPoint, [NotNullWhen(false)] out string? problem)
    {
        endPoint = null;
        string path;
        if (value.StartsWith('/'))
        {
            path = value;
        }
        else if (value.StartsWith('@') && value.Length > 1)
        {
            // Linux abstract namespace: a leading NUL byte instead of '@'.
            path = "\0" + value[1..];
        }
        else if (value.StartsWith("vsock:", StringComparison.Ordinal))
        {
            problem = "AF_VSOCK notification sockets are not supported";
            return false;
        }
        else
        {
            problem = "it must start with '/' or '@'";
            return false;
        }

        if (path.IndexOf('\0', 1) >= 0)
        {
            problem = "it contains a NUL character";
            return false;
        }

        try
        {
            endPoint = new UnixDomainSocketEndPoint(path);
        }
        catch (ArgumentException ex)
        {
            problem = ex.Message;
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>CLOCK_MONOTONIC in microseconds: the runtime's timestamp is CLOCK_MONOTONIC on Linux.</summary>
    internal static long MonotonicMicroseconds() => (long)((Int128)Stopwatch.GetTimestamp() * 1_000_000 / Stopwatch.Frequency);

    private static string WithMonotonicTime(string state)
    {
        bool reloading = false;
        foreach (var line in state.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("MONOTONIC_USEC=", StringComparison.Ordinal))
            {
                return state;
            }

            reloading |= line.SequenceEqual("RELOADING=1");
        }

        return reloading
            ? FormattableString.Invariant($"{state.TrimEnd('\n')}\nMONOTONIC_USEC={MonotonicMicroseconds()}")
            : state;
    }

    private static string FirstLine(string state)
    {
        int newline = state.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? state : state[..newline];
    }
}
