using System.Text;
using JournalPump.Core.Metrics;
using JournalPump.Testing.Kafka;
using JournalPump.Testing.Sinks;

namespace JournalPump.Sinks.Kafka.Tests.Sink;

/// <summary>
/// The sink contract against librdkafka's mock cluster (three brokers): a keyed sink, so every record lands on one
/// partition and the topic's order is the sink's order; "broken" is every broker down.
/// </summary>
[Category("Integration")]
public sealed class KafkaSinkContractTests : SinkContractTests<KafkaSink>
{
    private KafkaMockCluster _cluster = null!;
    private string _topic = "";

    [OneTimeSetUp]
    public void StartCluster() => _cluster = KafkaMockCluster.Start(brokers: 3);

    [OneTimeTearDown]
    public void StopCluster() => _cluster.Dispose();

    protected override ValueTask<KafkaSink> CreateSinkAsync(ListLogger logger, CancellationToken cancellationToken)
    {
        _topic = "contract-" + Guid.NewGuid().ToString("N")[..12];
        _cluster.CreateTopic(_topic, partitions: 3, replicationFactor: 3);
        return ValueTask.FromResult(new KafkaSink(KafkaTestOptions.For(_cluster.BootstrapServers, _topic), logger));
    }

    protected override Task<IReadOnlyList<byte[]>> ReadBackAsync(int count, CancellationToken cancellationToken) =>
        Task.Run(() => (IReadOnlyList<byte[]>)[.. KafkaRecords.ReadAll(_cluster.BootstrapServers, _topic, count, KafkaTestOptions.ReadGuard).Select(r => r.Value)], cancellationToken);

    protected override Task BreakPeerAsync(CancellationToken cancellationToken)
    {
        for (int broker = 1; broker <= _cluster.BrokerCount; broker++)
        {
            _cluster.SetBrokerDown(broker);
        }

        return Task.CompletedTask;
    }

    protected override Task RepairPeerAsync(CancellationToken cancellationToken)
    {
        for (int broker = 1; broker <= _cluster.BrokerCount; broker++)
        {
            _cluster.SetBrokerUp(broker);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Sink options for the tests.</summary>
internal static class KafkaTestOptions
{
    /// <summary>Guards reads against hanging; never a measure.</summary>
    public static readonly TimeSpan ReadGuard = TimeSpan.FromSeconds(60);

    /// <summary>The key every test sink uses.</summary>
    public static readonly byte[] Key = Encoding.UTF8.GetBytes("host-a");

    /// <summary>
    /// A keyed sink; records that cannot be delivered fail after 5 s (librdkafka's <c>message.timeout.ms</c>) instead
    /// of 5 minutes, so a test of a broken peer ends. This bounds a wait inside librdkafka; nothing asserts on it.
    /// </summary>
    public static KafkaSinkOptions For(
        string bootstrap,
        string topic,
        Dictionary<string, string>? properties = null,
        byte[]? key = null,
        bool keyed = true,
        int maxMessageBytes = KafkaSinkOptions.DefaultMaxMessageBytes,
        IPumpMetrics? metrics = null,
        KafkaSaslOptions? sasl = null)
    {
        var all = new Dictionary<string, string> { ["message.timeout.ms"] = "5000" };
        foreach (var (name, value) in properties ?? [])
        {
            all[name] = value;
        }

        return new KafkaSinkOptions
        {
            Name = "kafka-test",
            BootstrapServers = bootstrap,
            Topic = topic,
            MessageKey = keyed ? key ?? Key : null,
            ProducerProperties = all,
            MaxMessageBytes = maxMessageBytes,
            Metrics = metrics ?? NullPumpMetrics.Instance,
            MetricTags = [new MetricTag("sender", "kafka-test")],
            Sasl = sasl,
        };
    }
}
