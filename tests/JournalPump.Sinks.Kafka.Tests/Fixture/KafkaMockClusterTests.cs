using System.Text;
using Confluent.Kafka;
using JournalPump.Testing.Kafka;

namespace JournalPump.Sinks.Kafka.Tests.Fixture;

/// <summary>
/// The mock cluster fixture itself, driven by a plain Confluent.Kafka producer: what is acknowledged
/// is stored and reads back byte for byte (in process and with kcat), and the failure injections
/// really reach the client.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class KafkaMockClusterTests
{
    private static readonly TimeSpan ReadGuard = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string> Plain(KafkaMockCluster cluster) => new() { ["bootstrap.servers"] = cluster.BootstrapServers };

    private static string NewTopic() => "fixture-" + Guid.NewGuid().ToString("N")[..12];

    [Test]
    [CancelAfter(120_000)]
    public async Task Records_acknowledged_with_acks_all_read_back_byte_identical_in_process_and_with_kcat(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();
        cluster.CreateTopic(topic, partitions: 3, replicationFactor: 3);

        // Keys of every kind (null, empty, NUL/newline/quote/backslash/invalid UTF-8, text); JSON values
        // with non-ASCII text and escapes; headers with binary values on some records.
        byte[]?[] keys =
        [
            null,
            [],
            [0x00, 0x0A, 0xFF, 0x80, (byte)'"', (byte)'\\', (byte)',', (byte)'=', 0x7F, 0x1B],
            Encoding.UTF8.GetBytes("host-ä-😀"),
        ];
        var sent = new List<(DeliveryResult<byte[]?, byte[]?> Result, byte[]? Key, byte[] Value, Headers? Headers)>();
        using (var probe = new ProducerProbe(Plain(cluster)))
        {
            var pending = new List<(Task<DeliveryResult<byte[]?, byte[]?>>, byte[]?, byte[], Headers?)>();
            for (int i = 0; i < 40; i++)
            {
                byte[]? key = keys[i % keys.Length];
                byte[] value = Encoding.UTF8.GetBytes($$"""{"MESSAGE":"line {{i}} é \u0001 \"q\" \\ 😀","__SEQ":{{i}}}""");
                Headers? headers = i % 3 == 0 ? new Headers { { "h", [0x00, 0xFF, (byte)'\n'] }, { "seq", Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)) } } : null;
                pending.Add((probe.ProduceAsync(topic, value, key, headers), key, value, headers));
            }

            foreach (var (task, key, value, headers) in pending)
            {
                sent.Add((await task.WaitAsync(cancellationToken), key, value, headers));
            }
        }

        Assert.That(sent.Select(s => s.Result.Status), Is.All.EqualTo(PersistenceStatus.Persisted));

        IReadOnlyList<KafkaRecord> read = KafkaRecords.ReadAll(cluster.BootstrapServers, topic, sent.Count, ReadGuard);
        Assert.That(read, Has.Count.EqualTo(sent.Count));
        foreach (var (result, key, value, headers) in sent)
        {
            KafkaRecord record = read.Single(r => r.Partition == result.Partition.Value && r.Offset == result.Offset.Value);
            Assert.Multiple(() =>
            {
                Assert.That(record.Key, Is.EqualTo(key));
                Assert.That(record.Value, Is.EqualTo(value));
                Assert.That(record.Headers.Select(h => h.Key), Is.EqualTo(headers?.Select(h => h.Key) ?? []));
                Assert.That(record.Headers.Select(h => h.Value), Is.EqualTo(headers?.Select(h => h.GetValueBytes()) ?? []));
                Assert.That(record.TimestampType, Is.EqualTo(TimestampType.CreateTime));
            });
        }

        IReadOnlyList<KafkaRecord> kcat = Kcat.Consume(cluster.BootstrapServers, topic, ReadGuard);
        Assert.That(kcat, Is.EqualTo(read), "kcat (out of process) reads the same records, byte for byte");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_leader_set_down_holds_the_delivery_until_it_is_set_up_again(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();
        cluster.CreateTopic(topic, partitions: 1, replicationFactor: 3);
        cluster.SetPartitionLeader(topic, 0, 2);
        using var probe = new ProducerProbe(Plain(cluster));
        var first = await probe.ProduceAsync(topic, "one"u8.ToArray()).WaitAsync(cancellationToken);

        int logsBefore = probe.LogCount;
        cluster.SetBrokerDown(2);
        var second = probe.ProduceAsync(topic, "two"u8.ToArray());

        // The leader's listener refuses connections, and the producer lost its connection to it
        // (the mock closed it: librdkafka logs "Disconnected").
        using (var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp))
        {
            var refused = Assert.Throws<System.Net.Sockets.SocketException>(() => socket.Connect(System.Net.IPAddress.Loopback, cluster.BrokerPort(2)));
            Assert.That(refused!.SocketErrorCode, Is.EqualTo(System.Net.Sockets.SocketError.ConnectionRefused));
        }

        string leader = "/2: Disconnected";
        await probe.WaitForLogAsync(l => l.Message.Contains(leader, StringComparison.Ordinal), cancellationToken, logsBefore);

        // Only the leader may take the record, and it refuses connections: it cannot have been delivered.
        Assert.That(second.IsCompleted, Is.False, "delivered while the leader was down");

        cluster.SetBrokerUp(2);
        var delivered = await second.WaitAsync(cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(first.Offset.Value, Is.Zero);
            Assert.That(delivered.Status, Is.EqualTo(PersistenceStatus.Persisted));
            Assert.That(delivered.Offset.Value, Is.EqualTo(1));
        });
        Assert.That(KafkaRecords.ReadAll(cluster.BootstrapServers, topic, 2, ReadGuard).Select(r => r.ValueText), Is.EqualTo(new[] { "one", "two" }));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task All_brokers_down_is_reported_and_delivery_resumes_when_they_are_up(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();
        cluster.CreateTopic(topic, partitions: 2, replicationFactor: 3);
        using var probe = new ProducerProbe(Plain(cluster));
        await probe.ProduceAsync(topic, "before"u8.ToArray()).WaitAsync(cancellationToken);

        int errorsBefore = probe.ErrorCount;
        cluster.SetBrokerDown(-1);
        var pending = probe.ProduceAsync(topic, "during"u8.ToArray());
        await probe.WaitForErrorAsync(e => e.Code == ErrorCode.Local_AllBrokersDown, cancellationToken, errorsBefore);
        Assert.That(pending.IsCompleted, Is.False);

        cluster.SetBrokerUp(-1);
        Assert.That((await pending.WaitAsync(cancellationToken)).Status, Is.EqualTo(PersistenceStatus.Persisted));
        Assert.That(KafkaRecords.ReadAll(cluster.BootstrapServers, topic, 2, ReadGuard).Select(r => r.ValueText), Is.EquivalentTo(new[] { "before", "during" }));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Retriable_errors_pushed_on_Produce_are_retried_and_the_record_is_stored_once(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();
        cluster.CreateTopic(topic, partitions: 1, replicationFactor: 3);
        cluster.StartRequestTracking();
        cluster.PushRequestErrors(KafkaApiKeys.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.LeaderNotAvailable);

        using var probe = new ProducerProbe(Plain(cluster));
        var result = await probe.ProduceAsync(topic, "retried"u8.ToArray()).WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(PersistenceStatus.Persisted));
            Assert.That(result.Offset.Value, Is.Zero);
            Assert.That(cluster.GetRequests().Count(r => r.ApiKey == KafkaApiKeys.Produce), Is.EqualTo(3), "two refused ProduceRequests, then the one that succeeded");
        });
        Assert.That(KafkaRecords.ReadAll(cluster.BootstrapServers, topic, 1, ReadGuard).Select(r => r.ValueText), Is.EqualTo(new[] { "retried" }));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_non_retriable_error_pushed_on_Produce_fails_the_delivery_and_stores_nothing(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();
        cluster.CreateTopic(topic, partitions: 1, replicationFactor: 3);
        cluster.PushRequestErrors(KafkaApiKeys.Produce, ErrorCode.MsgSizeTooLarge);

        using var probe = new ProducerProbe(Plain(cluster));
        var failure = await Assert.ThrowsAsync<ProduceException<byte[]?, byte[]?>>(
            () => probe.ProduceAsync(topic, "refused"u8.ToArray()).WaitAsync(cancellationToken));
        Assert.That(failure!.Error.Code, Is.EqualTo(ErrorCode.MsgSizeTooLarge));

        var next = await probe.ProduceAsync(topic, "accepted"u8.ToArray()).WaitAsync(cancellationToken);
        Assert.That(next.Offset.Value, Is.Zero, "the refused record took no offset");
        Assert.That(KafkaRecords.ReadAll(cluster.BootstrapServers, topic, 1, ReadGuard).Select(r => r.ValueText), Is.EqualTo(new[] { "accepted" }));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Broker_level_responses_with_delays_are_used_in_order(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();
        cluster.CreateTopic(topic, partitions: 1, replicationFactor: 3);
        cluster.SetPartitionLeader(topic, 0, 1);
        cluster.PushBrokerRequestErrors(1, KafkaApiKeys.Produce,
            (ErrorCode.NoError, TimeSpan.FromMilliseconds(50)),
            (ErrorCode.NotEnoughReplicasAfterAppend, TimeSpan.Zero));
        Assert.That(cluster.PendingBrokerRequestErrors(1, KafkaApiKeys.Produce), Is.EqualTo(2));

        using var probe = new ProducerProbe(Plain(cluster));
        var slow = await probe.ProduceAsync(topic, "slow"u8.ToArray()).WaitAsync(cancellationToken);
        var retried = await probe.ProduceAsync(topic, "retried"u8.ToArray()).WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(slow.Status, Is.EqualTo(PersistenceStatus.Persisted));
            Assert.That(retried.Status, Is.EqualTo(PersistenceStatus.Persisted));
            Assert.That(cluster.PendingBrokerRequestErrors(1, KafkaApiKeys.Produce), Is.Zero);
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_leader_change_sends_the_producer_to_the_new_leader(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();
        cluster.CreateTopic(topic, partitions: 1, replicationFactor: 3);
        cluster.SetPartitionLeader(topic, 0, 1);
        using var probe = new ProducerProbe(Plain(cluster));
        await probe.ProduceAsync(topic, "on 1"u8.ToArray()).WaitAsync(cancellationToken);

        cluster.StartRequestTracking();
        cluster.SetPartitionLeader(topic, 0, 3);
        var moved = await probe.ProduceAsync(topic, "on 3"u8.ToArray()).WaitAsync(cancellationToken);

        Assert.That(moved.Status, Is.EqualTo(PersistenceStatus.Persisted));
        Assert.That(cluster.GetRequests().Last(r => r.ApiKey == KafkaApiKeys.Produce).BrokerId, Is.EqualTo(3));
        Assert.That(KafkaRecords.ReadAll(cluster.BootstrapServers, topic, 2, ReadGuard).Select(r => r.ValueText), Is.EqualTo(new[] { "on 1", "on 3" }));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_producer_allowed_to_auto_create_creates_a_topic_with_4_partitions(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();
        using var probe = new ProducerProbe(Plain(cluster));

        var result = await probe.ProduceAsync(topic, "x"u8.ToArray()).WaitAsync(cancellationToken);

        Assert.That(result.Status, Is.EqualTo(PersistenceStatus.Persisted));
        Assert.That(KafkaRecords.Partitions(Plain(cluster), topic, ReadGuard), Is.EqualTo(new[] { 0, 1, 2, 3 }));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_producer_not_allowed_to_auto_create_finds_the_topic_missing(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();
        using var probe = new ProducerProbe(Plain(cluster), c =>
        {
            c.AllowAutoCreateTopics = false;
            c.Set("topic.metadata.propagation.max.ms", "10"); // fail as soon as Metadata says "unknown", not after 30 s
        });

        var failure = await Assert.ThrowsAsync<ProduceException<byte[]?, byte[]?>>(() => probe.ProduceAsync(topic, "x"u8.ToArray()).WaitAsync(cancellationToken));

        Assert.That(failure!.Error.Code, Is.EqualTo(ErrorCode.UnknownTopicOrPart));
        Assert.That(KafkaRecords.Partitions(Plain(cluster), topic, ReadGuard), Is.Empty);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_topic_error_makes_the_topic_missing_even_for_a_producer_allowed_to_auto_create(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();
        cluster.SetTopicError(topic, ErrorCode.UnknownTopicOrPart);
        using var probe = new ProducerProbe(Plain(cluster), c => c.Set("topic.metadata.propagation.max.ms", "10"));

        var failure = await Assert.ThrowsAsync<ProduceException<byte[]?, byte[]?>>(() => probe.ProduceAsync(topic, "x"u8.ToArray()).WaitAsync(cancellationToken));

        Assert.That(failure!.Error.Code, Is.EqualTo(ErrorCode.UnknownTopicOrPart));
        Assert.That(KafkaRecords.Partitions(Plain(cluster), topic, ReadGuard), Is.Empty);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task The_mock_does_not_serve_CreateTopics_so_topics_are_made_with_CreateTopic(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();
        using var admin = new AdminClientBuilder(new AdminClientConfig(Plain(cluster))).SetLogHandler((_, _) => { }).Build();

        // librdkafka never finds a controller to send CreateTopics to.
        var failure = await Assert.ThrowsAsync<KafkaException>(() => admin.CreateTopicsAsync(
            [new Confluent.Kafka.Admin.TopicSpecification { Name = topic, NumPartitions = 2, ReplicationFactor = 1 }],
            new Confluent.Kafka.Admin.CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(2) }).WaitAsync(cancellationToken));
        Assert.That(failure!.Message, Does.Contain("waiting for controller"));
        Assert.That(KafkaRecords.Partitions(Plain(cluster), topic, ReadGuard), Is.Empty);

        cluster.CreateTopic(topic, partitions: 2);
        Assert.That(KafkaRecords.Partitions(Plain(cluster), topic, ReadGuard), Is.EqualTo(new[] { 0, 1 }));
    }

    [Test]
    [CancelAfter(120_000)]
    public void Both_readers_read_a_missing_topic_as_empty_without_creating_it()
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();

        Assert.Multiple(() =>
        {
            Assert.That(KafkaRecords.ReadAll(cluster.BootstrapServers, topic, 0, ReadGuard), Is.Empty);
            Assert.That(Kcat.Consume(cluster.BootstrapServers, topic, ReadGuard), Is.Empty);
        });
        Assert.That(KafkaRecords.Partitions(Plain(cluster), topic, ReadGuard), Is.Empty);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task The_mock_has_no_SASL_a_SASL_client_fails_to_authenticate(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        using var probe = new ProducerProbe(new Dictionary<string, string>(Plain(cluster))
        {
            ["security.protocol"] = "sasl_plaintext",
            ["sasl.mechanisms"] = "PLAIN",
            ["sasl.username"] = "user",
            ["sasl.password"] = "anything",
        });
        _ = probe.ProduceAsync(NewTopic(), "x"u8.ToArray());

        Error error = await probe.WaitForErrorAsync(e => e.Code == ErrorCode.Local_Authentication, cancellationToken);

        Assert.That(error.Reason, Does.Contain("SASL Handshake not supported by broker"));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task The_mock_enforces_no_message_size_a_2_MB_record_is_stored(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start();
        string topic = NewTopic();
        cluster.CreateTopic(topic);
        byte[] big = new byte[2_000_000];
        new Random(7).NextBytes(big);
        using var probe = new ProducerProbe(Plain(cluster), c => c.MessageMaxBytes = 3_000_000);

        var result = await probe.ProduceAsync(topic, big).WaitAsync(cancellationToken);

        Assert.That(result.Status, Is.EqualTo(PersistenceStatus.Persisted));
        Assert.That(KafkaRecords.ReadAll(cluster.BootstrapServers, topic, 1, ReadGuard).Single().Value, Is.EqualTo(big));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_request_above_maxRequestBytes_is_dropped_with_the_connection(CancellationToken cancellationToken)
    {
        using var cluster = KafkaMockCluster.Start(brokers: 1, maxRequestBytes: 4096);
        string topic = NewTopic();
        cluster.CreateTopic(topic);
        using var probe = new ProducerProbe(Plain(cluster));
        var small = await probe.ProduceAsync(topic, new byte[100]).WaitAsync(cancellationToken);

        int errorsBefore = probe.ErrorCount;
        var large = probe.ProduceAsync(topic, new byte[10_000]);
        await probe.WaitForErrorAsync(e => e.Code is ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown, cancellationToken, errorsBefore);

        Assert.That(small.Status, Is.EqualTo(PersistenceStatus.Persisted));
        Assert.That(large.IsCompleted, Is.False, "the broker closed the connection instead of answering");
        Assert.That(KafkaRecords.ReadAll(cluster.BootstrapServers, topic, 1, ReadGuard), Has.Count.EqualTo(1));
    }
}
