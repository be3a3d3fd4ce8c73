using System.Text;
using Confluent.Kafka;
using JournalPump.Core.Formatting;
using JournalPump.Core.Metrics;
using JournalPump.Core.Pipeline;
using JournalPump.Testing.Kafka;
using JournalPump.Testing.Sinks;

namespace JournalPump.Sinks.Kafka.Tests.Sink;

/// <summary>What is particular to Kafka: journalpump's wire format and partitioning, and each kind of broker failure.</summary>
[Category("Integration")]
public sealed class KafkaSinkTests
{
    private KafkaMockCluster _cluster = null!;

    [OneTimeSetUp]
    public void StartCluster() => _cluster = KafkaMockCluster.Start(brokers: 3);

    [OneTimeTearDown]
    public void StopCluster() => _cluster.Dispose();

    private static string NewTopic() => "sink-" + Guid.NewGuid().ToString("N")[..12];

    private static IReadOnlyList<ReadOnlyMemory<byte>> Records(int count, string tag, int size = 0) =>
        [.. Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(
            $$"""{"MESSAGE": "{{tag}} {{i}} {{new string('m', size)}}", "PRIORITY": 6, "timestamp": "2023-11-14T22:13:20.000001"}"""))];

    private static string[] Texts(IEnumerable<ReadOnlyMemory<byte>> records) => [.. records.Select(r => Encoding.UTF8.GetString(r.Span))];

    private IReadOnlyList<KafkaRecord> Read(string topic, int count) => KafkaRecords.ReadAll(_cluster.BootstrapServers, topic, count, KafkaTestOptions.ReadGuard);

    [Test]
    [CancelAfter(120_000)]
    public async Task Each_record_is_one_message_with_the_static_key_no_headers_and_a_create_time(CancellationToken cancellationToken)
    {
        string topic = NewTopic();
        _cluster.CreateTopic(topic, partitions: 4, replicationFactor: 3);
        var records = Records(300, "wire");
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var sink = new KafkaSink(KafkaTestOptions.For(_cluster.BootstrapServers, topic)))
        {
            Assert.That((await sink.SendAsync(JournalBatch.Create(records), cancellationToken)).Status, Is.EqualTo(SendStatus.Delivered));
        }

        var read = Read(topic, records.Count);
        var kcat = Kcat.Consume(_cluster.BootstrapServers, topic, KafkaTestOptions.ReadGuard);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.Select(r => r.ValueText), Is.EqualTo(Texts(records)));
            Assert.That(read.Select(r => r.Key), Is.All.EqualTo(KafkaTestOptions.Key));
            Assert.That(read.Select(r => r.HeaderCount), Is.All.Zero);
            Assert.That(read.Select(r => r.TimestampType), Is.All.EqualTo(TimestampType.CreateTime));
            Assert.That(read.Select(r => r.TimestampMilliseconds), Is.All.GreaterThanOrEqualTo(before));
            Assert.That(read.Select(r => r.Partition).Distinct(), Is.EqualTo(new[] { Murmur2.Partition(KafkaTestOptions.Key, 4) }));
            Assert.That(kcat.Select(r => r.ValueText), Is.EqualTo(Texts(records)), "kcat, out of process");
            Assert.That(kcat.Select(r => r.Key), Is.All.EqualTo(KafkaTestOptions.Key));
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Keyed_records_land_where_the_java_client_puts_them(CancellationToken cancellationToken)
    {
        string topic = NewTopic();
        const int Partitions = 7;
        _cluster.CreateTopic(topic, Partitions, replicationFactor: 1);
        string[] keys = ["host-a", "web-01.example.com", "db", "", "ü-ñ-😀", "0123456789abcdef", "k", "a much longer key used as the message key"];
        foreach (var key in keys)
        {
            await using var sink = new KafkaSink(KafkaTestOptions.For(_cluster.BootstrapServers, topic, key: Encoding.UTF8.GetBytes(key)));
            Assert.That((await sink.SendAsync(JournalBatch.Create(Records(5, "key " + key)), cancellationToken)).Status, Is.EqualTo(SendStatus.Delivered));
        }

        var read = Read(topic, keys.Length * 5);
        Assert.That(read, Has.Count.EqualTo(keys.Length * 5));
        foreach (var record in read)
        {
            Assert.That(record.Partition, Is.EqualTo(Murmur2.Partition(record.Key!, Partitions)), "key '" + Encoding.UTF8.GetString(record.Key!) + "'");
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Records_without_a_key_have_no_key_on_the_wire(CancellationToken cancellationToken)
    {
        string topic = NewTopic();
        _cluster.CreateTopic(topic, partitions: 4, replicationFactor: 1);
        await using (var sink = new KafkaSink(KafkaTestOptions.For(_cluster.BootstrapServers, topic, keyed: false)))
        {
            Assert.That((await sink.SendAsync(JournalBatch.Create(Records(2000, "unkeyed")), cancellationToken)).Status, Is.EqualTo(SendStatus.Delivered));
        }

        var read = Read(topic, 2000);
        using (Assert.EnterMultipleScope())
        {
            // Where they land is librdkafka's sticky random choice (a partition for 10 ms at a time): not asserted.
            Assert.That(read.Select(r => r.Key), Is.All.Null);
            Assert.That(read.Select(r => r.ValueText), Is.EquivalentTo(Texts(Records(2000, "unkeyed"))));
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Retriable_broker_errors_are_retried_without_duplicates(CancellationToken cancellationToken)
    {
        string topic = NewTopic();
        _cluster.CreateTopic(topic, partitions: 1, replicationFactor: 3);
        var records = Records(500, "retried");
        await using var sink = new KafkaSink(KafkaTestOptions.For(_cluster.BootstrapServers, topic));

        // Produce requests fail with errors Kafka marks retriable; librdkafka retries, the idempotent producer deduplicates.
        _cluster.PushRequestErrors(KafkaApiKeys.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicasAfterAppend, ErrorCode.LeaderNotAvailable, ErrorCode.RequestTimedOut);
        var result = await sink.SendAsync(JournalBatch.Create(records), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Status, Is.EqualTo(SendStatus.Delivered));
            Assert.That(Read(topic, records.Count).Select(r => r.ValueText), Is.EqualTo(Texts(records)));
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_record_over_the_size_limit_is_replaced_by_journalpumps_stub(CancellationToken cancellationToken)
    {
        string topic = NewTopic();
        _cluster.CreateTopic(topic, partitions: 1, replicationFactor: 1);
        var small = Records(3, "small");
        var huge = Records(1, "huge", size: 10_000)[0];
        var logger = new ListLogger();
        await using var sink = new KafkaSink(KafkaTestOptions.For(_cluster.BootstrapServers, topic, maxMessageBytes: 4096), logger);

        var result = await sink.SendAsync(JournalBatch.Create([small[0], huge, small[1], small[2]]), cancellationToken);
        var read = Read(topic, 4).Select(r => r.ValueText).ToList();
        string stub = Encoding.UTF8.GetString(JournalJsonFormatter.CreateOversizeStub(huge.Span, 4096));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Status, Is.EqualTo(SendStatus.Delivered));
            Assert.That(read, Is.EquivalentTo(Texts(small).Append(stub)));
            Assert.That(stub, Does.StartWith($"{{\"error\": \"too large message {huge.Length} bytes vs maximum 4096 bytes\", \"partial_data\": \"{{\\\"MESSAGE\\\": \\\"huge 0 mmm"));
            Assert.That(logger.Count(KafkaEventIds.RecordTooLarge), Is.EqualTo(1));
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_request_the_broker_refuses_as_too_large_is_sent_again_record_by_record(CancellationToken cancellationToken)
    {
        string topic = NewTopic();
        _cluster.CreateTopic(topic, partitions: 1, replicationFactor: 1);
        var records = Records(50, "split");
        await using var sink = new KafkaSink(KafkaTestOptions.For(_cluster.BootstrapServers, topic));
        Assert.That((await sink.SendAsync(JournalBatch.Create(Records(1, "warm-up")), cancellationToken)).Status, Is.EqualTo(SendStatus.Delivered));

        _cluster.PushRequestErrors(KafkaApiKeys.Produce, ErrorCode.MsgSizeTooLarge);
        var result = await sink.SendAsync(JournalBatch.Create(records), cancellationToken);
        var read = Read(topic, 51).Skip(1).Select(r => r.ValueText).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Status, Is.EqualTo(SendStatus.Delivered));
            Assert.That(read, Is.EquivalentTo(Texts(records)), "every record as it was: none was too large by itself");
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_record_the_broker_refuses_alone_becomes_the_stub(CancellationToken cancellationToken)
    {
        string topic = NewTopic();
        _cluster.CreateTopic(topic, partitions: 1, replicationFactor: 1);
        var record = Records(1, "refused", size: 5000)[0];
        await using var sink = new KafkaSink(KafkaTestOptions.For(_cluster.BootstrapServers, topic));
        Assert.That((await sink.SendAsync(JournalBatch.Create(Records(1, "warm-up")), cancellationToken)).Status, Is.EqualTo(SendStatus.Delivered));

        _cluster.PushRequestErrors(KafkaApiKeys.Produce, ErrorCode.MsgSizeTooLarge, ErrorCode.MsgSizeTooLarge);
        var result = await sink.SendAsync(JournalBatch.Create([record]), cancellationToken);
        var read = Read(topic, 2);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Status, Is.EqualTo(SendStatus.Delivered));
            Assert.That(read[^1].ValueText, Is.EqualTo(Encoding.UTF8.GetString(JournalJsonFormatter.CreateOversizeStub(record.Span, KafkaSinkOptions.DefaultMaxMessageBytes))));
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Records_the_broker_calls_invalid_are_rejected_and_counted(CancellationToken cancellationToken)
    {
        string topic = NewTopic();
        _cluster.CreateTopic(topic, partitions: 1, replicationFactor: 1);
        var metrics = new RecordingMetrics();
        await using var sink = new KafkaSink(KafkaTestOptions.For(_cluster.BootstrapServers, topic, metrics: metrics));
        Assert.That((await sink.SendAsync(JournalBatch.Create(Records(1, "warm-up")), cancellationToken)).Status, Is.EqualTo(SendStatus.Delivered));

        _cluster.PushRequestErrors(KafkaApiKeys.Produce, ErrorCode.InvalidRecord);
        var rejected = await sink.SendAsync(JournalBatch.Create(Records(1, "invalid")), cancellationToken);
        var next = await sink.SendAsync(JournalBatch.Create(Records(1, "next")), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rejected.Status, Is.EqualTo(SendStatus.Rejected));
            Assert.That(rejected.Reason, Does.Contain("InvalidRecord"));
            Assert.That(metrics.Sum("journal.kafka_error", new MetricTag("error", "InvalidRecord")), Is.EqualTo(1));
            Assert.That(next.Status, Is.EqualTo(SendStatus.Delivered));
            Assert.That(Read(topic, 2).Select(r => r.ValueText), Is.EqualTo(Texts(Records(1, "warm-up").Concat(Records(1, "next")))));
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_missing_topic_keeps_the_records_and_is_logged_as_an_error(CancellationToken cancellationToken)
    {
        string topic = NewTopic();
        _cluster.CreateTopic(topic, partitions: 1, replicationFactor: 1);
        _cluster.SetTopicError(topic, ErrorCode.UnknownTopicOrPart);
        var logger = new ListLogger();
        var records = Records(20, "missing");
        await using var sink = new KafkaSink(KafkaTestOptions.For(_cluster.BootstrapServers, topic), logger);

        var missing = await sink.SendAsync(JournalBatch.Create(records), cancellationToken);
        _cluster.SetTopicError(topic, ErrorCode.NoError);
        var created = await sink.SendAsync(JournalBatch.Create(records), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(missing.Status, Is.EqualTo(SendStatus.Transient));
            Assert.That(missing.Reason, Does.Contain("Unknown").Or.Contain("TimedOut"));
            Assert.That(created.Status, Is.EqualTo(SendStatus.Delivered));
            Assert.That(Read(topic, records.Count).Select(r => r.ValueText), Is.EqualTo(Texts(records)));
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_fatal_producer_error_replaces_the_producer_and_loses_nothing(CancellationToken cancellationToken)
    {
        string topic = NewTopic();
        _cluster.CreateTopic(topic, partitions: 1, replicationFactor: 1);
        var logger = new ListLogger();
        var records = Records(20, "fatal");
        await using var sink = new KafkaSink(KafkaTestOptions.For(_cluster.BootstrapServers, topic), logger);

        // The idempotent producer cannot get a producer id: librdkafka raises a fatal error.
        _cluster.PushRequestErrors(KafkaApiKeys.InitProducerId, ErrorCode.ClusterAuthorizationFailed);
        var failed = await sink.SendAsync(JournalBatch.Create(records), cancellationToken);
        var retried = await sink.SendAsync(JournalBatch.Create(records), cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Status, Is.EqualTo(SendStatus.Transient));
            Assert.That(logger.Count(KafkaEventIds.FatalError), Is.GreaterThanOrEqualTo(1));
            Assert.That(logger.Count(KafkaEventIds.ReplacingProducer), Is.EqualTo(1));
            Assert.That(retried.Status, Is.EqualTo(SendStatus.Delivered));
            Assert.That(Read(topic, records.Count).Select(r => r.ValueText), Is.EqualTo(Texts(records)));
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Sasl_is_required_before_any_request_and_the_password_stays_out_of_logs(CancellationToken cancellationToken)
    {
        // The mock cluster has no SASL (no SaslHandshake in its ApiVersions): a client set up for SASL must refuse to
        // go on unauthenticated, say why, and send nothing but the version probe.
        const string Password = "s3cret-sasl-password";
        string topic = NewTopic();
        var logger = new ListLogger();
        var sasl = KafkaTestOptions.For(_cluster.BootstrapServers, topic, sasl: new KafkaSaslOptions { Mechanism = KafkaSaslMechanism.ScramSha512, Username = "journal", Password = Password });
        _cluster.StartRequestTracking();
        SendResult result;
        await using (var sink = new KafkaSink(sasl, logger))
        {
            result = await sink.SendAsync(JournalBatch.Create(Records(3, "sasl")), cancellationToken);
        }

        var requests = _cluster.GetRequests();
        _cluster.StopRequestTracking();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Status, Is.EqualTo(SendStatus.Transient));
            Assert.That(requests.Select(r => r.ApiKey).Distinct(), Is.EqualTo(new[] { KafkaApiKeys.ApiVersions }), "no Metadata or Produce without authentication");
            Assert.That(
                logger.Entries.Where(e => e.EventId.Id == KafkaEventIds.ClientError && e.Level == Microsoft.Extensions.Logging.LogLevel.Error).Select(e => e.Message),
                Has.Some.Contains("Local_Authentication").And.Some.Contains("SCRAM-SHA-512"));
            Assert.That(KafkaProducerSettings.Describe(sasl), Does.Contain("sasl.mechanism=SCRAM-SHA-512").And.Contain("security.protocol=sasl_plaintext").And.Not.Contain(Password));
            Assert.That(logger.Entries.Select(e => e.ToString()), Has.None.Contains(Password));
            Assert.That(result.Reason, Does.Not.Contain(Password));
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Tls_with_a_client_certificate_delivers_and_a_wrong_ca_is_a_clear_transient_error(CancellationToken cancellationToken)
    {
        using var front = KafkaTlsFront.Start(_cluster);
        string topic = NewTopic();
        _cluster.CreateTopic(topic, partitions: 1, replicationFactor: 1);
        var certificates = front.Certificates;
        KafkaSinkOptions Tls(string ca) => new()
        {
            Name = "kafka-tls", BootstrapServers = front.BootstrapServers, Topic = topic, MessageKey = KafkaTestOptions.Key,
            Tls = true, CaFile = ca, CertificateFile = certificates.ClientCertificatePath, KeyFile = certificates.ClientKeyPath,
            ProducerProperties = KafkaTestOptions.For("", topic).ProducerProperties,
        };

        var records = Records(100, "tls");
        SendResult good;
        await using (var sink = new KafkaSink(Tls(certificates.CaPath)))
        {
            good = await sink.SendAsync(JournalBatch.Create(records), cancellationToken);
        }

        var logger = new ListLogger();
        SendResult wrong;
        await using (var sink = new KafkaSink(Tls(certificates.WrongCaPath), logger))
        {
            wrong = await sink.SendAsync(JournalBatch.Create(Records(1, "never")), cancellationToken);
        }

        var read = KafkaRecords.ReadAll(front.BootstrapServers, topic, records.Count, KafkaTestOptions.ReadGuard, front.ClientSettings());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(good.Status, Is.EqualTo(SendStatus.Delivered));
            Assert.That(read.Select(r => r.ValueText), Is.EqualTo(Texts(records)));
            Assert.That(wrong.Status, Is.EqualTo(SendStatus.Transient));
            Assert.That(logger.Entries.Where(e => e.EventId.Id == KafkaEventIds.ClientError).Select(e => e.Message), Has.Some.Contains("certificate verify failed"));
        }
    }

    [Test]
    public void Settings_librdkafka_refuses_are_reported_without_connecting()
    {
        var options = KafkaTestOptions.For("127.0.0.1:9", "t", new Dictionary<string, string> { ["compression.type"] = "brotli", ["sasl.password"] = "hidden-value" });
        var reserved = KafkaTestOptions.For("127.0.0.1:9", "t", new Dictionary<string, string> { ["bootstrap.servers"] = "elsewhere:9092", ["dotnet.producer.enable.delivery.reports"] = "false" });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(KafkaProducerSettings.Validate(options), Has.One.Contains("Invalid value \"brotli\""));
            Assert.That(KafkaProducerSettings.Validate(reserved), Has.Exactly(2).Contains("cannot be set"));
            Assert.That(KafkaProducerSettings.Validate(KafkaTestOptions.For("127.0.0.1:9", "t")), Is.Empty);
            Assert.That(KafkaProducerSettings.Describe(options), Does.Contain("sasl.password=***").And.Not.Contain("hidden-value"));
        }
    }

    [Test]
    public void The_defaults_are_acks_all_idempotent_murmur2_and_zstd()
    {
        var properties = KafkaProducerSettings.Build(KafkaTestOptions.For("k:9092", "t")).ToDictionary(p => p.Key, p => p.Value);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(properties["acks"], Is.EqualTo("all"));
            Assert.That(properties["enable.idempotence"], Is.EqualTo("true"));
            Assert.That(properties["partitioner"], Is.EqualTo("murmur2_random"));
            Assert.That(properties["compression.type"], Is.EqualTo("zstd"));
            Assert.That(properties["security.protocol"], Is.EqualTo("plaintext"));
        }
    }

    [TestCase("0.9", "false", "false")]
    [TestCase("0.10.2", null, "false")]
    [TestCase("2.8.0", null, "true")]
    [TestCase("auto", null, "true")]
    public void Kafka_api_version_is_a_hint_for_old_brokers(string version, string? versionRequest, string idempotence)
    {
        var options = KafkaTestOptions.For("k:9092", "t");
        var properties = KafkaProducerSettings.Build(new KafkaSinkOptions { Name = "v", BootstrapServers = "k", Topic = "t", ApiVersion = version })
            .ToDictionary(p => p.Key, p => p.Value);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(properties.GetValueOrDefault("api.version.request"), Is.EqualTo(versionRequest));
            Assert.That(properties["enable.idempotence"], Is.EqualTo(idempotence));
            Assert.That(properties.GetValueOrDefault("broker.version.fallback"), Is.EqualTo(version == "auto" ? null : version));
            Assert.That(KafkaProducerSettings.Validate(options), Is.Empty);
        }
    }
}
