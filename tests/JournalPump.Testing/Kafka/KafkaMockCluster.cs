using System.Globalization;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace JournalPump.Testing.Kafka;

/// <summary>
/// An in-process Kafka cluster: librdkafka's mock cluster (<c>rdkafka_mock.h</c>), which listens on
/// 127.0.0.1 and speaks the real Kafka wire protocol to any client (Confluent.Kafka, kcat, the host
/// daemon). It keeps records in memory, serves Produce/Fetch/Metadata/ListOffsets, consumer groups,
/// idempotent and transactional producers, and lets a test inject failures: request errors, broker
/// down/up, response delays, leader changes, topic errors.
/// </summary>
/// <remarks>
/// <para>
/// <b>Topic auto-creation.</b> The mock creates a topic that does not exist when a MetadataRequest
/// names it and the request allows auto-creation (MetadataRequest v4+ carries the client's
/// <c>allow.auto.create.topics</c>, whose librdkafka default is <c>true</c> for producers and
/// <c>false</c> for consumers; v0-v3 requests always auto-create). Auto-created topics get 4
/// partitions and replication factor min(3, brokers). There is no broker-side switch. To make a topic
/// "missing" whatever the client's setting, call <see cref="SetTopicError"/> with
/// <see cref="ErrorCode.UnknownTopicOrPart"/>: Metadata then reports the topic unknown with no
/// partitions (internally the mock creates the topic record to hang the error on, but no client can
/// produce to it). A producer then fails the record with <see cref="ErrorCode.UnknownTopicOrPart"/> once
/// its <c>topic.metadata.propagation.max.ms</c> (default 30 s) has passed, or with
/// <see cref="ErrorCode.Local_MsgTimedOut"/> if <c>message.timeout.ms</c> comes first.
/// <see cref="SetPartitionLeader"/> and <see cref="SetTopicError"/> create the topic too (with 4
/// partitions, or partition + 1 for the former) if it does not exist. The Admin API's CreateTopics does
/// not work against the mock (librdkafka finds no controller); <see cref="CreateTopic"/> is the way to
/// make a topic with a chosen partition count.
/// </para>
/// <para>
/// <b>SASL.</b> Not supported, neither PLAIN nor SCRAM: the mock does not list SaslHandshake or
/// SaslAuthenticate in its ApiVersions response, so a client configured with
/// <c>security.protocol=sasl_plaintext</c> gives up on every connection with
/// <see cref="ErrorCode.Local_Authentication"/> "SASL Handshake not supported by broker (required by
/// mechanism PLAIN)", whatever the credentials; nothing ever checks credentials, and there is no mock
/// API or setting to add users. The mock does not speak TLS either; <c>KafkaTlsFront</c> puts real
/// TLS with client certificates in front of it.
/// </para>
/// <para>
/// <b>Sizes.</b> The mock enforces no <c>message.max.bytes</c> / <c>max.message.bytes</c>: it never
/// answers MESSAGE_TOO_LARGE by itself (push <see cref="ErrorCode.MsgSizeTooLarge"/> on
/// <see cref="KafkaApiKeys.Produce"/> to simulate it). The only limit is on a whole request: one larger
/// than <c>receive.message.max.bytes</c> of the handle the mock lives on (default 100,000,000; set it
/// with <c>maxRequestBytes</c> of <see cref="Start"/>) makes the mock close the connection. Each
/// partition keeps at most 5 MiB / 100,000 message sets; older ones are dropped from the log.
/// </para>
/// </remarks>
public sealed class KafkaMockCluster : IDisposable
{
    private readonly Lock _lock = new();
    private readonly int[] _ports;
    private IntPtr _rk;
    private IntPtr _cluster;

    private KafkaMockCluster(IntPtr rk, IntPtr cluster, string bootstrapServers, int[] ports)
    {
        _rk = rk;
        _cluster = cluster;
        BootstrapServers = bootstrapServers;
        _ports = ports;
    }

    /// <summary>
    /// The plaintext bootstrap list, <c>127.0.0.1:port</c> per broker. This is where the brokers
    /// listen; what Metadata advertises can be changed with <see cref="AdvertiseBroker"/>.
    /// </summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers; their ids are 1 to <see cref="BrokerCount"/>.</summary>
    public int BrokerCount => _ports.Length;

    /// <summary>The librdkafka file the mock runs from (the same one Confluent.Kafka uses).</summary>
    public static string LibraryPath => MockNative.LoadedPath;

    /// <summary>
    /// Starts a mock cluster with <paramref name="brokers"/> brokers (ids 1..n) on 127.0.0.1.
    /// </summary>
    /// <param name="brokers">Broker count.</param>
    /// <param name="maxRequestBytes">
    /// Largest request the brokers accept (librdkafka's <c>receive.message.max.bytes</c> of the handle
    /// the mock lives on, 1000 .. 2147483647); a larger request makes the broker drop the connection.
    /// </param>
    public static KafkaMockCluster Start(int brokers = 3, int? maxRequestBytes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        MockNative.EnsureLoaded();

        var settings = new Dictionary<string, string>
        {
            // Errors only: the handle has no bootstrap.servers and would warn about it.
            ["log_level"] = "3",
            ["client.id"] = "journalpump-mock-cluster",
        };
        if (maxRequestBytes is int max)
        {
            settings["receive.message.max.bytes"] = max.ToString(CultureInfo.InvariantCulture);
        }

        IntPtr rk = CreateHandle(settings);
        IntPtr cluster = MockNative.ClusterNew(rk, brokers);
        if (cluster == IntPtr.Zero)
        {
            MockNative.Destroy(rk);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed (see librdkafka's log on stderr).");
        }

        string bootstraps = Marshal.PtrToStringUTF8(MockNative.ClusterBootstraps(cluster))
            ?? throw new InvalidOperationException("rd_kafka_mock_cluster_bootstraps returned NULL.");

        // "127.0.0.1:p1,127.0.0.1:p2,..." in broker id order (the mock appends brokers 1..n in order).
        int[] ports = bootstraps.Split(',')
            .Select(b => int.Parse(b[(b.LastIndexOf(':') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture))
            .ToArray();
        if (ports.Length != brokers)
        {
            MockNative.ClusterDestroy(cluster);
            MockNative.Destroy(rk);
            throw new InvalidOperationException($"Unexpected mock bootstrap list '{bootstraps}' for {brokers} brokers.");
        }

        return new KafkaMockCluster(rk, cluster, bootstraps, ports);
    }

    private static unsafe IntPtr CreateHandle(Dictionary<string, string> settings)
    {
        byte* error = stackalloc byte[512];
        IntPtr conf = MockNative.ConfNew();
        foreach (var (name, value) in settings)
        {
            if (MockNative.ConfSet(conf, name, value, error, 512) != MockNative.ConfOk)
            {
                MockNative.ConfDestroy(conf);
                throw new ArgumentException($"librdkafka rejected {name}={value}: {MockNative.ErrorText(new ReadOnlySpan<byte>(error, 512))}");
            }
        }

        IntPtr rk = MockNative.New(MockNative.RdKafkaProducer, conf, error, 512);
        if (rk == IntPtr.Zero)
        {
            MockNative.ConfDestroy(conf);
            throw new InvalidOperationException("rd_kafka_new failed: " + MockNative.ErrorText(new ReadOnlySpan<byte>(error, 512)));
        }

        return rk;
    }

    /// <summary>The port broker <paramref name="brokerId"/> listens on (plaintext, 127.0.0.1).</summary>
    public int BrokerPort(int brokerId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerId, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokerId, _ports.Length);
        return _ports[brokerId - 1];
    }

    /// <summary>
    /// Creates a topic. The mock does not serve CreateTopics (Admin API); this is the way to create a
    /// topic with a chosen partition count. Partition leaders are picked at random among the replicas.
    /// </summary>
    public void CreateTopic(string name, int partitions = 1, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Check(MockNative.TopicCreate(Cluster, name, partitions, replicationFactor), $"create topic {name}");
    }

    /// <summary>
    /// Closes the broker's connections and refuses new ones (listener kept, so the port stays the same).
    /// Partition leadership does not move: partitions it leads get no leader a client can reach. While
    /// down, the broker is left out of the broker list of Metadata responses (librdkafka 2.16), so
    /// clients drop it until it is up and listed again. <paramref name="brokerId"/> -1 means every broker.
    /// </summary>
    public void SetBrokerDown(int brokerId) => Check(MockNative.BrokerSetDown(Cluster, brokerId), $"set broker {brokerId} down");

    /// <summary>Lets the broker accept connections again. <paramref name="brokerId"/> -1 means every broker.</summary>
    public void SetBrokerUp(int brokerId) => Check(MockNative.BrokerSetUp(Cluster, brokerId), $"set broker {brokerId} up");

    /// <summary>
    /// Delays every response of the broker by <paramref name="rtt"/> (millisecond resolution);
    /// <see cref="TimeSpan.Zero"/> removes the delay. <paramref name="brokerId"/> -1 means every broker.
    /// </summary>
    public void SetBrokerRtt(int brokerId, TimeSpan rtt) =>
        Check(MockNative.BrokerSetRtt(Cluster, brokerId, checked((int)rtt.TotalMilliseconds)), $"set broker {brokerId} rtt");

    /// <summary>
    /// Makes the next <c>errors.Length</c> requests of type <paramref name="apiKey"/> (to any broker) fail,
    /// in order, with these errors (appended to what is already pushed). <see cref="ErrorCode.Local_Transport"/>
    /// makes the broker close the connection on that request instead. For Produce the error applies to
    /// every partition of the request and nothing is appended to the log.
    /// </summary>
    public unsafe void PushRequestErrors(short apiKey, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Length == 0)
        {
            return;
        }

        int[] codes = Array.ConvertAll(errors, e => (int)e);
        fixed (int* p = codes)
        {
            MockNative.PushRequestErrorsArray(Cluster, apiKey, (nuint)codes.Length, p);
        }
    }

    /// <summary>
    /// Broker-level variant of <see cref="PushRequestErrors"/> with a delay per response: the next
    /// requests of type <paramref name="apiKey"/> to broker <paramref name="brokerId"/> get these
    /// (error, delay) responses in order (<see cref="ErrorCode.NoError"/> with a delay only slows the
    /// response down). Broker-level entries are used before cluster-level ones.
    /// </summary>
    public void PushBrokerRequestErrors(int brokerId, short apiKey, params (ErrorCode Error, TimeSpan Delay)[] responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        foreach (var (error, delay) in responses)
        {
            Check(
                MockNative.BrokerPushRequestErrorRtt(Cluster, brokerId, apiKey, 1, (int)error, checked((int)delay.TotalMilliseconds)),
                $"push request error on broker {brokerId}");
        }
    }

    /// <summary>How many broker-level responses pushed with <see cref="PushBrokerRequestErrors"/> are still unused.</summary>
    public unsafe int PendingBrokerRequestErrors(int brokerId, short apiKey)
    {
        nuint count = 0;
        Check(MockNative.BrokerErrorStackCount(Cluster, brokerId, apiKey, &count), $"count request errors on broker {brokerId}");
        return checked((int)count);
    }

    /// <summary>Drops the cluster-level errors still pushed for <paramref name="apiKey"/>.</summary>
    public void ClearRequestErrors(short apiKey) => MockNative.ClearRequestErrors(Cluster, apiKey);

    /// <summary>
    /// Sets the error Metadata reports for the topic (<see cref="ErrorCode.NoError"/> clears it). With
    /// <see cref="ErrorCode.UnknownTopicOrPart"/> the topic is reported missing with no partitions, even
    /// to clients that allow auto-creation. Creates the topic (4 partitions) if it does not exist.
    /// </summary>
    public void SetTopicError(string topic, ErrorCode error)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        MockNative.TopicSetError(Cluster, topic, (int)error);
    }

    /// <summary>
    /// Moves the partition's leadership to <paramref name="brokerId"/> (-1: no leader) and bumps the
    /// leader epoch. Clients learn it through NOT_LEADER_FOR_PARTITION and a Metadata refresh.
    /// </summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        Check(MockNative.PartitionSetLeader(Cluster, topic, partition, brokerId), $"set leader of {topic} [{partition}]");
    }

    /// <summary>
    /// Changes the host and port Metadata and FindCoordinator advertise for the broker; where it
    /// listens does not change (see <see cref="BrokerPort"/>). Clients pick it up on their next
    /// Metadata refresh.
    /// </summary>
    public void AdvertiseBroker(int brokerId, string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        _ = BrokerPort(brokerId);
        MockNative.BrokerSetHostPort(Cluster, brokerId, host, port);
    }

    /// <summary>Restricts the versions the brokers accept for <paramref name="apiKey"/> (-1, -1 disables the request type).</summary>
    public void SetApiVersion(short apiKey, short minVersion, short maxVersion) =>
        Check(MockNative.SetApiVersion(Cluster, apiKey, minVersion, maxVersion), $"set api version of {apiKey}");

    /// <summary>Starts recording every request the brokers receive (clears earlier records).</summary>
    public void StartRequestTracking() => MockNative.StartRequestTracking(Cluster);

    /// <summary>Stops recording requests and clears the records.</summary>
    public void StopRequestTracking() => MockNative.StopRequestTracking(Cluster);

    /// <summary>Clears the recorded requests.</summary>
    public void ClearRequests() => MockNative.ClearRequests(Cluster);

    /// <summary>The requests recorded since <see cref="StartRequestTracking"/>, in arrival order.</summary>
    public unsafe IReadOnlyList<KafkaMockRequest> GetRequests()
    {
        nuint count = 0;
        IntPtr* requests = MockNative.GetRequests(Cluster, &count);
        if (requests == null)
        {
            return [];
        }

        try
        {
            var result = new KafkaMockRequest[(int)count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = new KafkaMockRequest(
                    MockNative.RequestBrokerId(requests[i]),
                    MockNative.RequestApiKey(requests[i]),
                    MockNative.RequestTimestamp(requests[i]));
            }

            return result;
        }
        finally
        {
            MockNative.RequestDestroyArray(requests, count);
        }
    }

    private IntPtr Cluster
    {
        get
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
                return _cluster;
            }
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"Mock cluster: cannot {what}: {(ErrorCode)error} ({new Error((ErrorCode)error).Reason})");
        }
    }

    /// <summary>Stops the brokers (closing every client connection) and frees the cluster.</summary>
    public void Dispose()
    {
        IntPtr cluster, rk;
        lock (_lock)
        {
            (cluster, rk) = (_cluster, _rk);
            (_cluster, _rk) = (IntPtr.Zero, IntPtr.Zero);
        }

        if (cluster != IntPtr.Zero)
        {
            MockNative.ClusterDestroy(cluster);
        }

        if (rk != IntPtr.Zero)
        {
            MockNative.Destroy(rk);
        }
    }
}

/// <summary>A request a mock broker received (see <see cref="KafkaMockCluster.StartRequestTracking"/>).</summary>
/// <param name="BrokerId">The broker that received it.</param>
/// <param name="ApiKey">Its type (see <see cref="KafkaApiKeys"/>).</param>
/// <param name="TimestampMicroseconds">When it was received, on librdkafka's monotonic clock (µs).</param>
public readonly record struct KafkaMockRequest(int BrokerId, short ApiKey, long TimestampMicroseconds);
