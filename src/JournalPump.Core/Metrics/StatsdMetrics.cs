using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using JournalPump.Core.Formatting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JournalPump.Core.Metrics;

/// <summary>
/// Sends metrics as statsd datagrams with Telegraf tags, exactly as journalpump does: one UDP datagram
/// per metric, <c>&lt;prefix&gt;&lt;name&gt;[,tag=value]...:&lt;value&gt;|&lt;type&gt;</c>, with the tags in the
/// reverse of their merged order (metric tags over <see cref="StatsdMetricsOptions.Tags"/>). Send errors
/// are logged and ignored: metrics never hold up the pump.
/// </summary>
public sealed class StatsdMetrics : IPumpMetrics, IDisposable
{
    private readonly StatsdMetricsOptions _options;
    private readonly ILogger _logger;
    private readonly Socket _socket;
    private readonly Lock _sendLock = new();
    private EndPoint? _endpoint;

    /// <summary>Creates the client; the host name is resolved on first send.</summary>
    /// <param name="options">Host, port, prefix and tags.</param>
    /// <param name="logger">Where send errors go.</param>
    public StatsdMetrics(StatsdMetricsOptions options, ILogger<StatsdMetrics>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Port);
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _socket = new Socket(SocketType.Dgram, ProtocolType.Udp);
    }

    /// <inheritdoc/>
    public void Increment(string name, IReadOnlyList<MetricTag> tags, long value = 1) =>
        Send(Format(name, tags, value.ToString(CultureInfo.InvariantCulture), "c"));

    /// <inheritdoc/>
    public void Gauge(string name, long value, IReadOnlyList<MetricTag> tags) =>
        Send(Format(name, tags, value.ToString(CultureInfo.InvariantCulture), "g"));

    /// <inheritdoc/>
    public void Gauge(string name, double value, IReadOnlyList<MetricTag> tags)
    {
        Span<byte> text = stackalloc byte[PythonFloat.MaxLength];
        int n = PythonFloat.Format(value, text);
        Send(Format(name, tags, Encoding.ASCII.GetString(text[..n]), "g"));
    }

    /// <summary>The datagram text for a metric.</summary>
    internal string Format(string name, IReadOnlyList<MetricTag> tags, string value, string type)
    {
        // Python dict semantics: statsd tags, updated by the metric's tags (a clash keeps the first
        // position and takes the new value); tags with a null name or value are left out.
        var merged = new List<MetricTag>(_options.Tags.Count + tags.Count);
        foreach (var tag in _options.Tags)
        {
            Merge(merged, tag);
        }

        foreach (var tag in tags)
        {
            Merge(merged, tag);
        }

        var sb = new StringBuilder(_options.Prefix.Length + name.Length + (merged.Count * 24) + 16);
        sb.Append(_options.Prefix).Append(name);
        for (int i = merged.Count - 1; i >= 0; i--)
        {
            sb.Append(',').Append(merged[i].Name).Append('=').Append(merged[i].Value);
        }

        return sb.Append(':').Append(value).Append('|').Append(type).ToString();
    }

    private static void Merge(List<MetricTag> merged, MetricTag tag)
    {
        if (tag.Name is null || tag.Value is null)
        {
            return;
        }

        int at = merged.FindIndex(t => t.Name == tag.Name);
        if (at >= 0)
        {
            merged[at] = tag;
        }
        else
        {
            merged.Add(tag);
        }
    }

    private void Send(string datagram)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(datagram);
        try
        {
            lock (_sendLock)
            {
                _endpoint ??= Resolve();
                _socket.SendTo(bytes, _endpoint);
            }
        }
        catch (SocketException e)
        {
            Log.StatsdSendFailed(_logger, _options.Host, _options.Port, e.Message);
        }
    }

    private IPEndPoint Resolve()
    {
        var address = IPAddress.TryParse(_options.Host, out var ip)
            ? ip
            : Dns.GetHostAddresses(_options.Host).First(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6);
        return new IPEndPoint(address, _options.Port);
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();
}
