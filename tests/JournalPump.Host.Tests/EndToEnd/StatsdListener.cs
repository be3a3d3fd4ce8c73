using System.Net;
using System.Net.Sockets;
using System.Text;

namespace JournalPump.Host.Tests.EndToEnd;

/// <summary>A UDP statsd listener on 127.0.0.1 (a free port): keeps every line of every datagram.</summary>
internal sealed class StatsdListener : IAsyncDisposable
{
    private readonly UdpClient _client = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _lines = [];
    private readonly Task _receiving;

    public StatsdListener() => _receiving = ReceiveAsync();

    /// <summary>Raised (from the receive loop) after each datagram.</summary>
    public event Action? Received;

    public int Port => ((IPEndPoint)_client.Client.LocalEndPoint!).Port;

    /// <summary>Every line received so far, in arrival order.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>
    /// The golden README's normalisation: the values of <c>journal.last_read_ago</c> and
    /// <c>journal.last_sent_ago</c> become <c>*</c>, gauges are de-duplicated, counters keep their
    /// multiplicity, the lines are sorted by code point.
    /// </summary>
    public static List<string> Normalise(IEnumerable<string> lines)
    {
        var result = new List<string>();
        var gauges = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            string line = raw;
            int colon = line.LastIndexOf(':');
            string name = colon < 0 ? line : line[..colon].Split(',')[0];
            if (colon >= 0 && (name.EndsWith("journal.last_read_ago", StringComparison.Ordinal) || name.EndsWith("journal.last_sent_ago", StringComparison.Ordinal)))
            {
                int bar = line.IndexOf('|', colon);
                line = line[..(colon + 1)] + "*" + (bar < 0 ? "" : line[bar..]);
            }

            if (line.EndsWith("|g", StringComparison.Ordinal) && !gauges.Add(line))
            {
                continue;
            }

            result.Add(line);
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _client.Dispose();
        try
        {
            await _receiving.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task ReceiveAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var datagram = await _client.ReceiveAsync(_stop.Token).ConfigureAwait(false);
            string text = Encoding.UTF8.GetString(datagram.Buffer);
            lock (_lines)
            {
                _lines.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }

            Received?.Invoke();
        }
    }
}
