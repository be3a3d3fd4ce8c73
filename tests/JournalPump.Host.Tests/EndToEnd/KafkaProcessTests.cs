using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JournalPump.Testing;
using JournalPump.Testing.Kafka;

namespace JournalPump.Host.Tests.EndToEnd;

/// <summary>
/// The daemon into Kafka (librdkafka's mock cluster, over TLS through stunnel where the config asks for it): every
/// golden case gives the golden output as Kafka messages, and journalpump's README example configuration works as is.
/// </summary>
[Category("Integration")]
public sealed class KafkaProcessTests
{
    private static readonly TimeSpan ReadGuard = TimeSpan.FromSeconds(60);
    private KafkaMockCluster _cluster = null!;

    [OneTimeSetUp]
    public void StartCluster() => _cluster = KafkaMockCluster.Start(brokers: 3);

    [OneTimeTearDown]
    public void StopCluster() => _cluster.Dispose();

    public static IEnumerable<string> Cases() => GoldenProcessTests.Cases();

    [TestCaseSource(nameof(Cases))]
    [CancelAfter(120_000)]
    public async Task Golden_case_into_kafka_gives_the_reference_records_and_state(string name)
    {
        var cancellationToken = TestContext.CurrentContext.CancellationToken;
        string caseDir = Path.Combine(GoldenCases.Root, name);
        using var journal = new JournalFileBuilder("e2e-kafka-" + name);
        journal.AddExportFile(Path.Combine(caseDir, "input.export"), "golden.journal");
        using var work = new Workspace("kafka-" + name);
        string topic = "golden-" + name + "-" + Guid.NewGuid().ToString("N")[..8];

        // The golden configuration with its file output turned into a Kafka output; everything else as is.
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(caseDir, "config.json"))
            .Replace("@JOURNAL_DIR@", journal.Directory, StringComparison.Ordinal)
            .Replace("@STATE@", work.StatePath, StringComparison.Ordinal)
            .Replace("\"@STATSD_PORT@\"", "9", StringComparison.Ordinal))!.AsObject();
        config.Remove("statsd");
        var sender = config["readers"]!.AsObject().Single().Value!["senders"]!.AsObject().Single().Value!.AsObject();
        sender.Remove("file_output");
        sender["output_type"] = "kafka";
        sender["kafka_address"] = _cluster.BootstrapServers;
        sender["kafka_topic"] = topic;
        sender["kafka_msg_key"] = "golden";

        byte[] expected = File.ReadAllBytes(Path.Combine(caseDir, "expected.jsonl"));
        int expectedLines = expected.Count(b => b == (byte)'\n');
        await using var pump = PumpProcess.Start(work.WriteConfig(config.ToJsonString()));
        await pump.WaitUntilStartedAsync(cancellationToken);
        await Change.WaitUntilAsync(() => SentCount(work.StatePath) >= expectedLines, $"the state file says {expectedLines} records were sent", cancellationToken, pump, [work.Directory]);
        int exitCode = await pump.StopAsync(cancellationToken);

        var records = KafkaRecords.ReadAll(_cluster.BootstrapServers, topic, expectedLines, ReadGuard);
        var asLines = records.SelectMany(r => r.Value.Append((byte)'\n')).ToArray();
        string state = GoldenProcessTests.NormaliseState(File.ReadAllText(work.StatePath));
        string expectedState = File.ReadAllText(Path.Combine(caseDir, "expected-state.json")).Replace("\"FileSender\"", "\"KafkaSender\"", StringComparison.Ordinal);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, pump.Stderr);
            Assert.That(Encoding.UTF8.GetString(asLines), Is.EqualTo(Encoding.UTF8.GetString(expected)), "the records, one message each");
            Assert.That(asLines, Is.EqualTo(expected), "bytes");
            Assert.That(records.Select(r => Encoding.UTF8.GetString(r.Key!)), Is.All.EqualTo("golden"));
            Assert.That(state, Is.EqualTo(expectedState), "normalised state file");
        }
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task The_readme_example_ships_over_tls_with_client_certificates_what_the_file_output_writes(CancellationToken cancellationToken)
    {
        // A cluster of its own: the TLS front makes it advertise TLS ports only.
        using var cluster = KafkaMockCluster.Start(brokers: 3);
        using var front = KafkaTlsFront.Start(cluster);
        using var journal = new JournalFileBuilder("e2e-kafka-readme");

        // The example's search restricts forwarding to what it matches: the OOM killer's lines among ordinary ones.
        const int Entries = 300;
        journal.Add(TestCorpus.Generate(0, 2000).Concat(Enumerable.Range(0, Entries).Select(i =>
            ExportEntry.Create(TestCorpus.StartRealtime + 3_000_000 + ((ulong)i * 1000), 9_000_000_000 + ((ulong)i * 1000), TestCorpus.BootId)
                .Add("MESSAGE", $"kernel: Out of memory: Kill process {1000 + i} (worker-{i % 7}) score 900 or sacrifice child")
                .Add("PRIORITY", "3")
                .Add("_PID", (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add("PROCESS_ID", (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add("_TRANSPORT", "kernel"))));
        using var work = new Workspace("kafka-readme");
        string output = work.Output();

        // journalpump's README "Example configuration for a single reader", in a complete file: its k1 sender as is
        // (paths and address pointing at the test's PKI and cluster), and a file sender beside it for comparison.
        string config = $$"""
            {
                "json_state_file_path": "{{work.StatePath}}",
                "field_filters": {
                    "drop_process_id": {
                        "fields": ["process_id"],
                        "type": "blacklist"
                    }
                },
                "readers": {
                    "some_reader": {
                        "journal_path": "{{journal.Directory}}",
                        "senders": {
                            "k1": {
                                "output_type": "kafka",
                                "field_filter": "drop_process_id",
                                "ca": "{{front.Certificates.CaPath}}",
                                "certfile": "{{front.Certificates.ClientCertificatePath}}",
                                "kafka_address": "{{front.BootstrapServers}}",
                                "kafka_topic": "journals",
                                "keyfile": "{{front.Certificates.ClientKeyPath}}",
                                "ssl": true
                            },
                            "f1": {
                                "output_type": "file",
                                "field_filter": "drop_process_id",
                                "file_output": "{{output}}"
                            }
                        },
                        "searches": [
                            {
                                "fields": {
                                    "MESSAGE": "kernel: Out of memory: Kill process .+ \\((?P<process>[^ ]+)\\)"
                                },
                                "name": "journal.oom_killer"
                            }
                        ],
                        "tags": {
                            "type": "container"
                        }
                    }
                }
            }
            """;

        await using var pump = PumpProcess.Start(work.WriteConfig(config));
        await pump.WaitUntilStartedAsync(cancellationToken);
        await Change.WaitUntilAsync(
            () => SentCount(work.StatePath, "k1") >= Entries && SentCount(work.StatePath, "f1") >= Entries,
            "both senders sent every entry",
            cancellationToken,
            pump,
            [work.Directory]);
        int exitCode = await pump.StopAsync(cancellationToken);

        var records = KafkaRecords.ReadAll(front.BootstrapServers, "journals", Entries, ReadGuard, front.ClientSettings());
        byte[] file = File.ReadAllBytes(output);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, pump.Stderr);
            Assert.That(records, Has.Count.EqualTo(Entries));
            Assert.That(records.Select(r => r.ValueText + "\n"), Is.EquivalentTo(Encoding.UTF8.GetString(file).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + "\n")));
            Assert.That(records.Select(r => r.ValueText), Has.All.Contains("Out of memory").And.All.Not.Contains("PROCESS_ID"));
            Assert.That(records.Select(r => r.Key), Is.All.Null, "no kafka_msg_key: no key");
            Assert.That(pump.Stderr, Does.Contain("ssl.ca.location=" + front.Certificates.CaPath));
        }
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task Brokers_going_down_and_up_lose_nothing_and_the_checkpoint_stays_behind_delivery(CancellationToken cancellationToken)
    {
        using var journal = new JournalFileBuilder("e2e-kafka-outage");
        const int Entries = 3000;
        journal.Add(TestCorpus.Generate(0, Entries));
        using var work = new Workspace("kafka-outage");
        string topic = "outage-" + Guid.NewGuid().ToString("N")[..8];

        // A cluster of its own: its brokers go down.
        using var cluster = KafkaMockCluster.Start(brokers: 3);
        cluster.CreateTopic(topic, partitions: 3, replicationFactor: 3);
        string config = $$"""
            {
                "json_state_file_path": "{{work.StatePath}}",
                "msg_buffer_max_length": 500,
                "readers": {
                    "r": {
                        "journal_path": "{{journal.Directory}}",
                        "senders": {
                            "k": {"output_type": "kafka", "kafka_address": "{{cluster.BootstrapServers}}", "kafka_topic": "{{topic}}", "kafka_msg_key": "outage",
                                  "kafka_producer_config": {"message.timeout.ms": 3000} }
                        }
                    }
                }
            }
            """;

        await using var pump = PumpProcess.Start(work.WriteConfig(config));
        await pump.WaitUntilStartedAsync(cancellationToken);
        await Change.WaitUntilAsync(() => SentCount(work.StatePath) > 0, "a first batch was delivered", cancellationToken, pump, [work.Directory]);
        for (int broker = 1; broker <= cluster.BrokerCount; broker++)
        {
            cluster.SetBrokerDown(broker);
        }

        // While the brokers are down, every state file the daemon writes counts no more than the topic holds.
        var checks = new List<(long Sent, long InTopic)>();
        await Change.WaitUntilAsync(
            () =>
            {
                long sent = SentCount(work.StatePath);
                checks.Add((sent, HighWatermarks(cluster, topic)));
                return pump.Stderr.Contains("records not delivered, will retry", StringComparison.Ordinal);
            },
            "a send failed while the brokers were down",
            cancellationToken,
            pump,
            [work.Directory]);
        for (int broker = 1; broker <= cluster.BrokerCount; broker++)
        {
            cluster.SetBrokerUp(broker);
        }

        await Change.WaitUntilAsync(() => SentCount(work.StatePath) >= Entries, "every entry was sent", cancellationToken, pump, [work.Directory]);
        int exitCode = await pump.StopAsync(cancellationToken);
        var records = KafkaRecords.ReadAll(cluster.BootstrapServers, topic, Entries, ReadGuard);
        var sequences = records.Select(r => Seq(r.Value)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, pump.Stderr);
            Assert.That(sequences.Distinct().Order(), Is.EqualTo(Enumerable.Range(0, Entries).Select(i => (long)i)), "every entry, none lost");
            Assert.That(checks.Where(c => c.Sent > c.InTopic), Is.Empty, "a checkpoint ahead of what Kafka holds");
        }
    }

    private static long HighWatermarks(KafkaMockCluster cluster, string topic)
    {
        using var consumer = new Confluent.Kafka.ConsumerBuilder<Confluent.Kafka.Ignore, Confluent.Kafka.Ignore>(
            new Confluent.Kafka.ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "watermarks" }).Build();
        try
        {
            return KafkaRecords.CountByWatermarks(consumer, topic, [0, 1, 2], TimeSpan.FromSeconds(1));
        }
        catch (Confluent.Kafka.KafkaException)
        {
            return long.MaxValue; // the brokers are down: nothing to compare with
        }
    }

    /// <summary>The corpus entry number of a record: entry i was written at StartRealtime + i ms + less than 1 ms.</summary>
    private static long Seq(byte[] record)
    {
        using var document = JsonDocument.Parse(record);
        long realtime = (long)Math.Round(document.RootElement.GetProperty("REALTIME_TIMESTAMP").GetDouble() * 1_000_000);
        return (realtime - (long)TestCorpus.StartRealtime) / 1000;
    }

    /// <summary>The sent count of a sender in the state file (the only sender when <paramref name="sender"/> is null); 0 before there is one.</summary>
    private static long SentCount(string statePath, string? sender = null)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(statePath));
            var senders = document.RootElement.GetProperty("readers").EnumerateObject().Single().Value.GetProperty("senders");
            var state = sender is null ? senders.EnumerateObject().Single().Value : senders.GetProperty(sender);
            return state.GetProperty("sent").GetProperty("count").GetInt64();
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return 0;
        }
    }
}
