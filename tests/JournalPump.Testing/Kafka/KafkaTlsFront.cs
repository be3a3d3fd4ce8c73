using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace JournalPump.Testing.Kafka;

/// <summary>
/// Real TLS with client certificates in front of a <see cref="KafkaMockCluster"/>: one
/// <c>stunnel</c> process (Debian package <c>stunnel4</c>) with a service per broker that accepts TLS
/// on its own 127.0.0.1 port, requires a client certificate that chains to
/// <see cref="KafkaTlsCertificates.CaPath"/> (<c>verifyChain</c>, <c>requireCert</c>, <c>CAfile</c>), and
/// forwards the plaintext to that broker's listener.
/// </summary>
/// <remarks>
/// <para>
/// A Kafka client does not stay on the address it bootstraps from: it connects to the host:port each
/// broker advertises in Metadata. So the front makes the mock advertise the stunnel ports
/// (<c>rd_kafka_mock_broker_set_host_port</c>, <see cref="KafkaMockCluster.AdvertiseBroker"/>) as
/// 127.0.0.1:&lt;TLS port&gt;; every connection a client makes, bootstrap or broker, then goes through
/// a TLS handshake. No network namespace, firewall rule or root is needed, and the client can be
/// in-process (a sink under test) or another process (the host daemon, kcat): give it
/// <see cref="BootstrapServers"/> and the settings of <see cref="ClientSettings"/>.
/// </para>
/// <para>
/// Limits: while the front is up the cluster is TLS-only (Metadata advertises only the TLS ports, so a
/// plaintext client bootstrapping from <see cref="KafkaMockCluster.BootstrapServers"/> is sent to TLS
/// ports and fails; read back through the front, e.g. <c>KafkaRecords.ReadAll(front.BootstrapServers,
/// ..., front.ClientSettings())</c>). Disposing the front restores the plaintext advertisement. The
/// server name is 127.0.0.1 / localhost only. Start the front before any client connects. A broker set
/// down with <see cref="KafkaMockCluster.SetBrokerDown"/> still completes the TCP and TLS handshake
/// (stunnel accepts), then the connection is closed when stunnel cannot reach the broker: the client
/// sees a disconnect rather than "connection refused".
/// </para>
/// <para>
/// Client certificates and librdkafka: the server's CertificateRequest lists the CA it accepts
/// (<see cref="KafkaTlsCertificates.CaPath"/>), and librdkafka sends its certificate only if its issuer is
/// in that list ("No matching issuer found in server trusted certificate authorities, not sending any
/// client certificates" in its <c>security</c> debug log). So a librdkafka client with a certificate from
/// another CA, like one with none, sends no certificate: stunnel logs "peer did not return a certificate"
/// and the client reports <c>Local_Transport</c> "tlsv13 alert certificate required". A client that
/// presents such a certificate anyway (<c>openssl s_client</c>) is refused by stunnel's chain check
/// ("CERT: Pre-verification error: unable to get local issuer certificate", "Rejected by CERT at
/// depth=0", alert "unknown ca"). A client that does not trust the server's CA
/// (<see cref="KafkaTlsCertificates.WrongCaPath"/>) fails with <c>Local_Ssl</c> "SSL handshake failed:
/// ... certificate verify failed". librdkafka checks the server name (127.0.0.1, an IP SAN of the server
/// certificate) with its default <c>ssl.endpoint.identification.algorithm=https</c>.
/// </para>
/// </remarks>
public sealed partial class KafkaTlsFront : IDisposable
{
    private static readonly string[] StunnelCandidates = ["/usr/bin/stunnel4", "/usr/bin/stunnel", "/usr/sbin/stunnel4", "/usr/sbin/stunnel"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly KafkaMockCluster _cluster;
    private readonly Process _stunnel;
    private readonly bool _ownsCertificates;
    private readonly int[] _tlsPorts;
    private readonly StunnelLog _log;
    private bool _disposed;

    private KafkaTlsFront(KafkaMockCluster cluster, KafkaTlsCertificates certificates, bool ownsCertificates,
        Process stunnel, int[] tlsPorts, StunnelLog log, string configPath)
    {
        _cluster = cluster;
        Certificates = certificates;
        _ownsCertificates = ownsCertificates;
        _stunnel = stunnel;
        _tlsPorts = tlsPorts;
        _log = log;
        ConfigPath = configPath;
        BootstrapServers = string.Join(',', tlsPorts.Select(p => "127.0.0.1:" + p.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The TLS bootstrap list, <c>127.0.0.1:port</c> per broker.</summary>
    public string BootstrapServers { get; }

    /// <summary>The CA, server, client and wrong-CA files in use.</summary>
    public KafkaTlsCertificates Certificates { get; }

    /// <summary>The stunnel configuration file (in <see cref="KafkaTlsCertificates.Directory"/>).</summary>
    public string ConfigPath { get; }

    /// <summary>
    /// The stunnel log so far, info level: per connection "Service [brokerN] accepted connection",
    /// certificate checks ("Certificate accepted at depth=0: CN=journalpump-test-client", "Rejected by
    /// CERT at depth=0: ..."), TLS errors ("SSL_accept: ... peer did not return a certificate").
    /// </summary>
    public IReadOnlyList<string> Log => _log.Lines;

    /// <summary>
    /// Waits until stunnel logs a line matching <paramref name="predicate"/> (lines already logged
    /// count) and returns it. Event-driven: re-checked on every new line.
    /// </summary>
    public async Task<string> WaitForLogAsync(Func<string, bool> predicate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        while (true)
        {
            Task next = _log.Next;
            string? line = _log.Lines.FirstOrDefault(predicate);
            if (line is not null)
            {
                return line;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The TLS port fronting broker <paramref name="brokerId"/>.</summary>
    public int TlsPort(int brokerId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerId, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokerId, _tlsPorts.Length);
        return _tlsPorts[brokerId - 1];
    }

    /// <summary>
    /// librdkafka settings for a client of the front: <c>bootstrap.servers</c>,
    /// <c>security.protocol=ssl</c>, and the CA, certificate and key of this front's PKI. Pass
    /// <paramref name="caPath"/>, <paramref name="certificatePath"/>, <paramref name="keyPath"/> to swap
    /// one (for instance <see cref="KafkaTlsCertificates.WrongCaPath"/>); an empty string leaves the
    /// setting out (no client certificate, say). Usable as <c>new ProducerConfig(front.ClientSettings())</c>.
    /// </summary>
    public Dictionary<string, string> ClientSettings(string? caPath = null, string? certificatePath = null, string? keyPath = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = BootstrapServers,
            ["security.protocol"] = "ssl",
        };
        Add("ssl.ca.location", caPath ?? Certificates.CaPath);
        Add("ssl.certificate.location", certificatePath ?? Certificates.ClientCertificatePath);
        Add("ssl.key.location", keyPath ?? Certificates.ClientKeyPath);
        return settings;

        void Add(string name, string value)
        {
            if (value.Length > 0)
            {
                settings[name] = value;
            }
        }
    }

    /// <summary>
    /// Starts stunnel in front of every broker of <paramref name="cluster"/> and makes the cluster
    /// advertise the TLS ports. Returns once stunnel listens on all of them.
    /// </summary>
    /// <param name="cluster">The cluster to front.</param>
    /// <param name="certificates">The PKI to use; by default a new one is generated and deleted with the front.</param>
    public static KafkaTlsFront Start(KafkaMockCluster cluster, KafkaTlsCertificates? certificates = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        string stunnel = StunnelCandidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("stunnel is not installed (Debian package stunnel4).");

        bool owns = certificates is null;
        certificates ??= KafkaTlsCertificates.Create();
        try
        {
            string configPath = Path.Combine(certificates.Directory, "stunnel-" + Guid.NewGuid().ToString("N")[..8] + ".conf");
            File.WriteAllText(configPath, Config(cluster, certificates));

            var log = new StunnelLog();
            var ports = new int[cluster.BrokerCount];
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            var psi = new ProcessStartInfo(stunnel)
            {
                UseShellExecute = false,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                RedirectStandardInput = true,
            };
            psi.ArgumentList.Add(configPath);
            var process = new Process { StartInfo = psi, EnableRaisingEvents = true };

            // stunnel binds each service to 127.0.0.1:0 and logs the port it got:
            //   "LOG6[ui]: Service [broker2] (FD=9) bound to 127.0.0.1:40113", then "Accepting new connections".
            // Ports chosen by the kernel: no race with other processes for a port.
            void OnLine(string? line)
            {
                if (line is null)
                {
                    return;
                }

                log.Add(line);
                Match bound = BoundLine().Match(line);
                if (bound.Success)
                {
                    int id = int.Parse(bound.Groups["id"].Value, CultureInfo.InvariantCulture);
                    ports[id - 1] = int.Parse(bound.Groups["port"].Value, CultureInfo.InvariantCulture);
                }
                else if (line.Contains("Accepting new connections", StringComparison.Ordinal))
                {
                    ready.TrySetResult();
                }
            }

            process.ErrorDataReceived += (_, e) => OnLine(e.Data);
            process.OutputDataReceived += (_, e) => OnLine(e.Data);
            process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("stunnel exited before listening."));
            if (!process.Start())
            {
                throw new InvalidOperationException("cannot start " + stunnel);
            }

            process.BeginErrorReadLine();
            process.BeginOutputReadLine();

            bool listening;
            try
            {
                listening = ready.Task.Wait(StartTimeout); // a guard against a hang; readiness is the log line
            }
            catch (AggregateException)
            {
                listening = false; // exited first (a bad configuration, a missing file)
            }

            if (!listening || ports.Any(p => p == 0))
            {
                Stop(process);
                throw new InvalidOperationException($"stunnel did not start listening:\n{string.Join('\n', log.Lines)}");
            }

            var front = new KafkaTlsFront(cluster, certificates, owns, process, ports, log, configPath);
            for (int id = 1; id <= cluster.BrokerCount; id++)
            {
                cluster.AdvertiseBroker(id, "127.0.0.1", ports[id - 1]);
            }

            return front;
        }
        catch
        {
            if (owns)
            {
                certificates.Dispose();
            }

            throw;
        }
    }

    private static string Config(KafkaMockCluster cluster, KafkaTlsCertificates certificates)
    {
        var config = new StringBuilder();
        config.Append(CultureInfo.InvariantCulture, $"""
            foreground = yes
            pid =
            debug = info

            """);
        for (int id = 1; id <= cluster.BrokerCount; id++)
        {
            config.Append(CultureInfo.InvariantCulture, $"""

                [broker{id}]
                accept = 127.0.0.1:0
                connect = 127.0.0.1:{cluster.BrokerPort(id)}
                cert = {certificates.ServerCertificatePath}
                key = {certificates.ServerKeyPath}
                CAfile = {certificates.CaPath}
                verifyChain = yes
                requireCert = yes
                sslVersionMin = TLSv1.2
                TIMEOUTclose = 0

                """);
        }

        return config.ToString();
    }

    /// <summary>stunnel's log lines, with a pulse completed at each new line.</summary>
    private sealed class StunnelLog
    {
        private readonly Lock _lock = new();
        private readonly List<string> _lines = [];
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lock)
                {
                    return [.. _lines];
                }
            }
        }

        /// <summary>Completes when the next line arrives.</summary>
        public Task Next
        {
            get
            {
                lock (_lock)
                {
                    return _next.Task;
                }
            }
        }

        public void Add(string line)
        {
            TaskCompletionSource pulse;
            lock (_lock)
            {
                _lines.Add(line);
                pulse = _next;
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            pulse.TrySetResult();
        }
    }

    [GeneratedRegex(@"Service \[broker(?<id>\d+)\] \(FD=\d+\) bound to 127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex BoundLine();

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        process.Dispose();
    }

    /// <summary>
    /// Stops stunnel, makes the cluster advertise its plaintext listeners again, and deletes the PKI
    /// if the front generated it.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Stop(_stunnel);
        try
        {
            for (int id = 1; id <= _cluster.BrokerCount; id++)
            {
                _cluster.AdvertiseBroker(id, "127.0.0.1", _cluster.BrokerPort(id));
            }
        }
        catch (ObjectDisposedException)
        {
            // The cluster went first: nothing to restore.
        }

        if (_ownsCertificates)
        {
            Certificates.Dispose();
        }
    }
}
