namespace JournalPump.Sinks.Kafka.Tests.Sink;

/// <summary>The Java Kafka client's default partitioner for keyed records: <c>toPositive(murmur2(key)) % partitions</c>.</summary>
internal static class Murmur2
{
    public static int Partition(byte[] key, int partitions) => (Hash(key) & 0x7fffffff) % partitions;

    /// <summary><c>org.apache.kafka.common.utils.Utils.murmur2</c>.</summary>
    public static int Hash(byte[] data)
    {
        unchecked
        {
            const int M = 0x5bd1e995;
            const int R = 24;
            int length = data.Length;
            int h = (int)0x9747b28c ^ length;
            for (int i = 0; i < length / 4; i++)
            {
                int o = i * 4;
                int k = data[o] | (data[o + 1] << 8) | (data[o + 2] << 16) | (data[o + 3] << 24);
                k *= M;
                k ^= (int)((uint)k >> R);
                k *= M;
                h *= M;
                h ^= k;
            }

            int tail = length & ~3;
            switch (length % 4)
            {
                case 3:
                    h ^= data[tail + 2] << 16;
                    h ^= data[tail + 1] << 8;
                    h ^= data[tail];
                    h *= M;
                    break;
                case 2:
                    h ^= data[tail + 1] << 8;
                    h ^= data[tail];
                    h *= M;
                    break;
                case 1:
                    h ^= data[tail];
                    h *= M;
                    break;
            }

            h ^= (int)((uint)h >> 13);
            h *= M;
            h ^= (int)((uint)h >> 15);
            return h;
        }
    }
}
