using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using JournalPump.Testing.Kafka;

namespace JournalPump.Sinks.Kafka.Tests.Fixture;

/// <summary>
/// The TLS front (stunnel with client certificates) in front of the mock cluster: a client with the
/// test CA and a client certificate works end to end, every broker connection goes through TLS, and
/// the wrong CA or a missing / foreign client certificate is refused.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class KafkaTlsFrontTests
{
    private static readonly TimeSpan ReadGuard = TimeSpan.FromSeconds(60);

    private static string NewTopic() => "tls-" + Guid.NewGuid().ToString("N")[..12];

    [Test]
    [CancelAfter(120_000)]
    public async Task A_client_with_the_CA_and_a_client_certificate_produces_and_reads_back_through_TLS(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();
        cluster.CreateTopic(topic, partitions: 3, replicationFactor: 3);
        using var front = KafkaTlsFront.Start(cluster);

        var delivered = new List<DeliveryResult<byte[]?, byte[]?>>();
        using (var probe = new ProducerProbe(front.ClientSettings()))
        {
            for (int i = 0; i < 12; i++)
            {
                byte[] key = [0xFF, 0x00, (byte)'\n', (byte)i];
                delivered.Add(await probe.ProduceAsync(topic, System.Text.Encoding.UTF8.GetBytes($$"""{"i":{{i}}}"""), key).WaitAsync(cancellationToken));
            }
        }

        Assert.That(delivered.Select(d => d.Status), Is.All.EqualTo(PersistenceStatus.Persisted));

        // Every broker the client learns about is a TLS port of the front, so no connection bypasses TLS.
        using (var admin = new AdminClientBuilder(new AdminClientConfig(front.ClientSettings())).Build())
        {
            var brokers = admin.GetMetadata(ReadGuard).Brokers;
            Assert.That(brokers.Select(b => $"{b.Host}:{b.Port}"), Is.EquivalentTo(front.BootstrapServers.Split(',')));
        }

        IReadOnlyList<KafkaRecord> read = KafkaRecords.ReadAll(front.BootstrapServers, topic, delivered.Count, ReadGuard, front.ClientSettings());
        Assert.That(read, Has.Count.EqualTo(delivered.Count));
        Assert.That(Kcat.Consume(front.BootstrapServers, topic, ReadGuard, front.ClientSettings()), Is.EqualTo(read), "kcat over TLS reads the same records");

        string accepted = await front.WaitForLogAsync(l => l.Contains("Certificate accepted at depth=0", StringComparison.Ordinal), cancellationToken);
        Assert.That(accepted, Does.Contain("CN=journalpump-test-client"));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_client_trusting_another_CA_fails_the_SSL_handshake(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        using var front = KafkaTlsFront.Start(cluster);
        using var probe = new ProducerProbe(front.ClientSettings(caPath: front.Certificates.WrongCaPath));
        var pending = probe.ProduceAsync(NewTopic(), "x"u8.ToArray());

        Error error = await probe.WaitForErrorAsync(e => e.Code == ErrorCode.Local_Ssl, cancellationToken);

        Assert.That(error.Reason, Does.Contain("SSL handshake failed").And.Contain("certificate verify failed"));
        Assert.That(pending.IsCompleted, Is.False);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_client_without_a_certificate_is_refused(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        using var front = KafkaTlsFront.Start(cluster);
        using var probe = new ProducerProbe(front.ClientSettings(certificatePath: "", keyPath: ""));
        var pending = probe.ProduceAsync(NewTopic(), "x"u8.ToArray());

        Error error = await probe.WaitForErrorAsync(e => e.Reason.Contains("certificate required", StringComparison.Ordinal), cancellationToken);
        await front.WaitForLogAsync(l => l.Contains("peer did not return a certificate", StringComparison.Ordinal), cancellationToken);

        Assert.That(error.Code, Is.EqualTo(ErrorCode.Local_Transport));
        Assert.That(pending.IsCompleted, Is.False);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Librdkafka_keeps_back_a_certificate_of_another_CA_and_is_refused_like_without_one(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        using var front = KafkaTlsFront.Start(cluster);
        var certificates = front.Certificates;
        using var probe = new ProducerProbe(front.ClientSettings(
            certificatePath: certificates.WrongClientCertificatePath, keyPath: certificates.WrongClientKeyPath));
        var pending = probe.ProduceAsync(NewTopic(), "x"u8.ToArray());

        Error error = await probe.WaitForErrorAsync(e => e.Reason.Contains("certificate required", StringComparison.Ordinal), cancellationToken);
        await front.WaitForLogAsync(l => l.Contains("peer did not return a certificate", StringComparison.Ordinal), cancellationToken);

        Assert.That(error.Code, Is.EqualTo(ErrorCode.Local_Transport));
        Assert.That(pending.IsCompleted, Is.False);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task The_front_verifies_a_presented_client_certificate_against_the_CA(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start(brokers: 1);
        using var front = KafkaTlsFront.Start(cluster);
        var certificates = front.Certificates;

        // openssl s_client presents its certificate whatever CAs the server lists.
        await SClientAsync(front, certificates.WrongClientCertificatePath, certificates.WrongClientKeyPath, cancellationToken);
        string rejected = await front.WaitForLogAsync(l => l.Contains("Rejected by CERT at depth=0", StringComparison.Ordinal), cancellationToken);

        await SClientAsync(front, certificates.ClientCertificatePath, certificates.ClientKeyPath, cancellationToken);
        string accepted = await front.WaitForLogAsync(l => l.Contains("Certificate accepted at depth=0", StringComparison.Ordinal), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(rejected, Does.Contain("CN=journalpump-test-client"));
            Assert.That(front.Log, Has.Some.Contains("CERT: Pre-verification error: unable to get local issuer certificate"));
            Assert.That(accepted, Does.Contain("CN=journalpump-test-client"));
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Disposing_the_front_makes_the_cluster_advertise_its_plaintext_listeners_again(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();
        cluster.CreateTopic(topic);
        KafkaTlsFront.Start(cluster).Dispose();

        var plain = new Dictionary<string, string> { ["bootstrap.servers"] = cluster.BootstrapServers };
        using var probe = new ProducerProbe(plain);
        var result = await probe.ProduceAsync(topic, "plain"u8.ToArray()).WaitAsync(cancellationToken);

        Assert.That(result.Status, Is.EqualTo(PersistenceStatus.Persisted));
        Assert.That(KafkaRecords.ReadAll(cluster.BootstrapServers, topic, 1, ReadGuard).Single().ValueText, Is.EqualTo("plain"));
    }

    /// <summary>One TLS handshake with <c>openssl s_client</c> presenting the given client certificate, then EOF.</summary>
    private static async Task SClientAsync(KafkaTlsFront front, string certificate, string key, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("openssl")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[]
        {
            "s_client", "-connect", "127.0.0.1:" + front.TlsPort(1).ToString(CultureInfo.InvariantCulture),
            "-CAfile", front.Certificates.CaPath, "-cert", certificate, "-key", key,
        })
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await Task.WhenAll(output, error);
    }
}
