using Confluent.Kafka;

namespace JournalPump.Sinks.Kafka;

/// <summary>
/// The native librdkafka the sink runs on. The librdkafka.redist package carries one build per platform; on
/// glibc Linux its default build needs <c>libsasl2.so.3</c> (Red Hat's name; Debian and Ubuntu ship
/// <c>libsasl2.so.2</c>), and Confluent.Kafka then loads the package's statically linked build
/// (<c>centos8-librdkafka.so</c>: TLS, SASL PLAIN/SCRAM/OAUTHBEARER, gzip/snappy/lz4/zstd; no Kerberos), which needs
/// nothing beyond glibc 2.28.
/// </summary>
public static class LibrdkafkaLibrary
{
    private static readonly Lock Gate = new();

    /// <summary>Loads librdkafka unless it is loaded.</summary>
    /// <exception cref="DllNotFoundException">No build of librdkafka could be loaded, with what was tried.</exception>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (Library.IsLoaded)
            {
                return;
            }

            try
            {
                Library.Load();
            }
            catch (DllNotFoundException e)
            {
                throw new DllNotFoundException(
                    "librdkafka could not be loaded. The librdkafka.redist package's native files (runtimes/<rid>/native, or the "
                    + "application directory for a RID-specific build) must be deployed with the application; on glibc Linux "
                    + "the statically linked centos8-librdkafka.so needs only glibc 2.28 or later. " + e.Message,
                    e);
            }
        }
    }

    /// <summary>The librdkafka version, such as <c>2.16.0</c>.</summary>
    public static string Version
    {
        get
        {
            EnsureLoaded();
            return Library.VersionString;
        }
    }

    /// <summary>The file librdkafka was loaded from, when the platform tells (Linux).</summary>
    public static string? LoadedFrom
    {
        get
        {
            EnsureLoaded();
            const string Maps = "/proc/self/maps";
            if (!File.Exists(Maps))
            {
                return null;
            }

            foreach (var line in File.ReadLines(Maps))
            {
                int slash = line.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0 && line.AsSpan(slash).Contains("rdkafka", StringComparison.Ordinal))
                {
                    return line[slash..];
                }
            }

            return null;
        }
    }
}
