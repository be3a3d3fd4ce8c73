using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace JournalPump.Testing.Kafka;

/// <summary>
/// P/Invoke declarations for the parts of librdkafka that Confluent.Kafka does not wrap: the mock
/// cluster API of <c>rdkafka_mock.h</c> and the few client calls needed to own the <c>rd_kafka_t</c>
/// the mock cluster lives on. Signatures follow librdkafka 2.x (<c>src/rdkafka.h</c>,
/// <c>src/rdkafka_mock.h</c>); <c>rd_kafka_resp_err_t</c> is a C enum, passed as <see cref="int"/>.
/// </summary>
/// <remarks>
/// The library name is resolved to the very file Confluent.Kafka loaded (see <see cref="EnsureLoaded"/>),
/// so the process holds one copy of librdkafka and its global state.
/// </remarks>
internal static unsafe partial class MockNative
{
    private const string Library = "librdkafka";

    /// <summary><c>RD_KAFKA_PRODUCER</c> of <c>rd_kafka_type_t</c>.</summary>
    internal const int RdKafkaProducer = 0;

    /// <summary><c>RD_KAFKA_CONF_OK</c> of <c>rd_kafka_conf_res_t</c>.</summary>
    internal const int ConfOk = 0;

    private static readonly Lock LoadLock = new();
    private static string? _loadedPath;

    /// <summary>The librdkafka file Confluent.Kafka loaded and these declarations bind to.</summary>
    internal static string LoadedPath => EnsureLoaded();

    /// <summary>
    /// Lets Confluent.Kafka load librdkafka (it picks <c>librdkafka.so</c>, or falls back to
    /// <c>centos8-librdkafka.so</c> where the former's dependencies are missing), finds that file in
    /// <c>/proc/self/maps</c>, and maps <see cref="Library"/> to it for this assembly.
    /// </summary>
    internal static string EnsureLoaded()
    {
        lock (LoadLock)
        {
            if (_loadedPath is not null)
            {
                return _loadedPath;
            }

            Confluent.Kafka.Library.Load();
            string path = FindLoadedLibrdkafka()
                ?? throw new InvalidOperationException("Confluent.Kafka reported librdkafka loaded, but no librdkafka file is mapped in /proc/self/maps.");
            NativeLibrary.SetDllImportResolver(typeof(MockNative).Assembly, Resolve);
            _loadedPath = path;
            return path;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == Library && _loadedPath is not null ? NativeLibrary.Load(_loadedPath) : IntPtr.Zero;

    private static string? FindLoadedLibrdkafka()
    {
        // Lines: address perms offset dev inode pathname
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            int slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                continue;
            }

            string path = line[slash..].Trim();
            string name = Path.GetFileName(path);
            if (name.Contains("librdkafka", StringComparison.Ordinal) && name.Contains(".so", StringComparison.Ordinal))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>Reads the NUL-terminated error text librdkafka wrote into <paramref name="buffer"/>.</summary>
    internal static string ErrorText(ReadOnlySpan<byte> buffer)
    {
        int end = buffer.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? buffer : buffer[..end]);
    }

    // rdkafka.h: rd_kafka_conf_t *rd_kafka_conf_new(void);
    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_new")]
    internal static partial IntPtr ConfNew();

    // rdkafka.h: void rd_kafka_conf_destroy(rd_kafka_conf_t *conf);
    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_destroy")]
    internal static partial void ConfDestroy(IntPtr conf);

    // rdkafka.h: rd_kafka_conf_res_t rd_kafka_conf_set(rd_kafka_conf_t *conf, const char *name,
    //                                                  const char *value, char *errstr, size_t errstr_size);
    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ConfSet(IntPtr conf, string name, string value, byte* errstr, nuint errstrSize);

    // rdkafka.h: rd_kafka_t *rd_kafka_new(rd_kafka_type_t type, rd_kafka_conf_t *conf,
    //                                     char *errstr, size_t errstr_size);
    // Takes ownership of conf on success only.
    [LibraryImport(Library, EntryPoint = "rd_kafka_new")]
    internal static partial IntPtr New(int type, IntPtr conf, byte* errstr, nuint errstrSize);

    // rdkafka.h: void rd_kafka_destroy(rd_kafka_t *rk);
    [LibraryImport(Library, EntryPoint = "rd_kafka_destroy")]
    internal static partial void Destroy(IntPtr rk);

    // rdkafka_mock.h: rd_kafka_mock_cluster_t *rd_kafka_mock_cluster_new(rd_kafka_t *rk, int broker_cnt);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_new")]
    internal static partial IntPtr ClusterNew(IntPtr rk, int brokerCount);

    // rdkafka_mock.h: void rd_kafka_mock_cluster_destroy(rd_kafka_mock_cluster_t *mcluster);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    internal static partial void ClusterDestroy(IntPtr cluster);

    // rdkafka_mock.h: const char *rd_kafka_mock_cluster_bootstraps(const rd_kafka_mock_cluster_t *mcluster);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    internal static partial IntPtr ClusterBootstraps(IntPtr cluster);

    // rdkafka_mock.h: void rd_kafka_mock_clear_request_errors(rd_kafka_mock_cluster_t *mcluster, int16_t ApiKey);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_clear_request_errors")]
    internal static partial void ClearRequestErrors(IntPtr cluster, short apiKey);

    // rdkafka_mock.h: void rd_kafka_mock_push_request_errors_array(rd_kafka_mock_cluster_t *mcluster,
    //     int16_t ApiKey, size_t cnt, const rd_kafka_resp_err_t *errors);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    internal static partial void PushRequestErrorsArray(IntPtr cluster, short apiKey, nuint count, int* errors);

    // rdkafka_mock.h: rd_kafka_resp_err_t rd_kafka_mock_broker_push_request_error_rtts(
    //     rd_kafka_mock_cluster_t *mcluster, int32_t broker_id, int16_t ApiKey, size_t cnt, ...);
    // The variadic part is cnt pairs of (rd_kafka_resp_err_t err, int rtt_ms). Declared here with exactly
    // one pair: on x86-64 System V (and AArch64 Linux) int arguments of a variadic call are passed like
    // fixed ones, so the call is ABI-identical to the C call with cnt = 1.
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_push_request_error_rtts")]
    internal static partial int BrokerPushRequestErrorRtt(IntPtr cluster, int brokerId, short apiKey, nuint count, int error, int rttMs);

    // rdkafka_mock.h: rd_kafka_resp_err_t rd_kafka_mock_broker_error_stack_cnt(rd_kafka_mock_cluster_t *mcluster,
    //     int32_t broker_id, int16_t ApiKey, size_t *cntp);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_error_stack_cnt")]
    internal static partial int BrokerErrorStackCount(IntPtr cluster, int brokerId, short apiKey, nuint* count);

    // rdkafka_mock.h: void rd_kafka_mock_topic_set_error(rd_kafka_mock_cluster_t *mcluster, const char *topic,
    //     rd_kafka_resp_err_t err);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_set_error", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void TopicSetError(IntPtr cluster, string topic, int error);

    // rdkafka_mock.h: rd_kafka_resp_err_t rd_kafka_mock_topic_create(rd_kafka_mock_cluster_t *mcluster,
    //     const char *topic, int partition_cnt, int replication_factor);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TopicCreate(IntPtr cluster, string topic, int partitionCount, int replicationFactor);

    // rdkafka_mock.h: rd_kafka_resp_err_t rd_kafka_mock_partition_set_leader(rd_kafka_mock_cluster_t *mcluster,
    //     const char *topic, int32_t partition, int32_t broker_id);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_partition_set_leader", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PartitionSetLeader(IntPtr cluster, string topic, int partition, int brokerId);

    // rdkafka_mock.h: rd_kafka_resp_err_t rd_kafka_mock_broker_set_down(rd_kafka_mock_cluster_t *mcluster, int32_t broker_id);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_down")]
    internal static partial int BrokerSetDown(IntPtr cluster, int brokerId);

    // rdkafka_mock.h: rd_kafka_resp_err_t rd_kafka_mock_broker_set_up(rd_kafka_mock_cluster_t *mcluster, int32_t broker_id);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_up")]
    internal static partial int BrokerSetUp(IntPtr cluster, int brokerId);

    // rdkafka_mock.h: rd_kafka_resp_err_t rd_kafka_mock_broker_set_rtt(rd_kafka_mock_cluster_t *mcluster,
    //     int32_t broker_id, int rtt_ms);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    internal static partial int BrokerSetRtt(IntPtr cluster, int brokerId, int rttMs);

    // rdkafka_mock.h: void rd_kafka_mock_broker_set_host_port(rd_kafka_mock_cluster_t *mcluster,
    //     int32_t broker_id, const char *host, int port);
    // Changes only what Metadata/FindCoordinator advertise; the listener stays where it is.
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_host_port", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void BrokerSetHostPort(IntPtr cluster, int brokerId, string host, int port);

    // rdkafka_mock.h: rd_kafka_resp_err_t rd_kafka_mock_set_apiversion(rd_kafka_mock_cluster_t *mcluster,
    //     int16_t ApiKey, int16_t MinVersion, int16_t MaxVersion);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_set_apiversion")]
    internal static partial int SetApiVersion(IntPtr cluster, short apiKey, short minVersion, short maxVersion);

    // rdkafka_mock.h: void rd_kafka_mock_start_request_tracking(rd_kafka_mock_cluster_t *mcluster);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_start_request_tracking")]
    internal static partial void StartRequestTracking(IntPtr cluster);

    // rdkafka_mock.h: void rd_kafka_mock_stop_request_tracking(rd_kafka_mock_cluster_t *mcluster);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_stop_request_tracking")]
    internal static partial void StopRequestTracking(IntPtr cluster);

    // rdkafka_mock.h: void rd_kafka_mock_clear_requests(rd_kafka_mock_cluster_t *mcluster);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_clear_requests")]
    internal static partial void ClearRequests(IntPtr cluster);

    // rdkafka_mock.h: rd_kafka_mock_request_t **rd_kafka_mock_get_requests(rd_kafka_mock_cluster_t *mcluster, size_t *cntp);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_get_requests")]
    internal static partial IntPtr* GetRequests(IntPtr cluster, nuint* count);

    // rdkafka_mock.h: void rd_kafka_mock_request_destroy_array(rd_kafka_mock_request_t **mreqs, size_t mreq_cnt);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_request_destroy_array")]
    internal static partial void RequestDestroyArray(IntPtr* requests, nuint count);

    // rdkafka_mock.h: int32_t rd_kafka_mock_request_id(rd_kafka_mock_request_t *mreq);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_request_id")]
    internal static partial int RequestBrokerId(IntPtr request);

    // rdkafka_mock.h: int16_t rd_kafka_mock_request_api_key(rd_kafka_mock_request_t *mreq);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_request_api_key")]
    internal static partial short RequestApiKey(IntPtr request);

    // rdkafka_mock.h: int64_t rd_kafka_mock_request_timestamp(rd_kafka_mock_request_t *mreq);
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_request_timestamp")]
    internal static partial long RequestTimestamp(IntPtr request);
}
