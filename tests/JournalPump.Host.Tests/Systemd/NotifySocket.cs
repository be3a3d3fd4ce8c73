using System.Net.Sockets;
using System.Text;

namespace JournalPump.Host.Tests.Systemd;

/// <summary>A real unix datagram socket standing in for systemd's notification socket.</summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string? _directory;

    private NotifySocket(string address, string? directory)
    {
        Address = address;
        _directory = directory;
    }

    /// <summary>The NOTIFY_SOCKET value.</summary>
    public string Address { get; }

    /// <summary>Datagrams waiting (the notifier sends synchronously, so a sent message is here when the call returns).</summary>
    public int Available => _socket.Available;

    public static NotifySocket AtPath()
    {
        string directory = Directory.CreateTempSubdirectory("notify-").FullName;
        var socket = new NotifySocket(Path.Combine(directory, "notify.sock"), directory);
        socket._socket.Bind(new UnixDomainSocketEndPoint(socket.Address));
        return socket;
    }

    public static NotifySocket Abstract()
    {
        string name = "journalpump-test-" + Guid.NewGuid().ToString("N");
        var socket = new NotifySocket("@" + name, null);
        socket._socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
        return socket;
    }

    public async Task<string> ReceiveAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[4096];
        int received = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, received);
    }

    public void Dispose()
    {
        _socket.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
