using System.Globalization;
using Confluent.Kafka;
using JournalPump.Testing.Kafka;

namespace JournalPump.Benchmarks;

/// <summary>
/// How many records a Kafka topic holds, for benchmarks/e2e/pump-to-kafka.sh: the sum of the high
/// watermarks of its partitions (<c>QueryWatermarkOffsets</c> of a Confluent consumer that joins no
/// group and commits nothing; the topic is never created). A missing topic holds 0 records.
/// </summary>
/// <remarks>
/// <para>
/// Watermarks rather than reading the records: they are cheap, and librdkafka's mock cluster keeps
/// only the last 5 MiB of each partition while its offsets count every record appended. On a topic
/// nobody deletes from, the sum is the number of records ever written, duplicates included.
/// </para>
/// <para>
/// <c>--until N</c> waits instead: prints <c>waiting for N records in TOPIC</c> once the clients are up,
/// then asks every <c>--interval-ms</c> (20 ms) until the sum reaches N (the topic may not exist yet),
/// and prints the sum. benchmarks/e2e/measure.py's <c>--until</c> uses the two lines as "ready" and "done".
/// </para>
/// </remarks>
internal static class KafkaCountCommand
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public static int Run(string[] args)
    {
        long until = -1;
        int intervalMs = 20;
        bool ok = args.Length is 3 or 5 or 7;
        for (int i = 3; ok && i + 1 < args.Length; i += 2)
        {
            ok = args[i] switch
            {
                "--until" => long.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out until),
                "--interval-ms" => int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out intervalMs) && intervalMs > 0,
                _ => false,
            };
        }

        if (!ok)
        {
            Console.Error.WriteLine("usage: kafka-count <bootstrap-servers> <topic> [--until <records>] [--interval-ms <ms>]");
            return 2;
        }

        string bootstrap = args[1], topic = args[2];
        using var admin = new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = bootstrap,
            AllowAutoCreateTopics = false,
        }).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "journalpump-bench-count-" + Guid.NewGuid().ToString("N"), // never joined: no subscription, no commits
            EnableAutoCommit = false,
            AllowAutoCreateTopics = false,
        }).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();

        if (until < 0)
        {
            Console.WriteLine(Count(consumer, topic, Partitions(admin, topic)).ToString(CultureInfo.InvariantCulture));
            return 0;
        }

        // The first question connects to the brokers (and compiles the code) before "waiting" is printed.
        int[] partitions = [];
        long count = TryCount(admin, consumer, topic, ref partitions);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"waiting for {until} records in {topic}"));
        Console.Out.Flush();
        while (count < until)
        {
            Thread.Sleep(intervalMs);
            count = TryCount(admin, consumer, topic, ref partitions);
        }

        Console.WriteLine(count.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    // While waiting: the partitions are learnt once the topic exists; a failed question counts as not yet.
    private static long TryCount(IAdminClient admin, IConsumer<Ignore, Ignore> consumer, string topic, ref int[] partitions)
    {
        try
        {
            if (partitions.Length == 0)
            {
                partitions = Partitions(admin, topic);
            }

            return Count(consumer, topic, partitions);
        }
        catch (KafkaException)
        {
            return -1;
        }
    }

    private static long Count(IConsumer<Ignore, Ignore> consumer, string topic, int[] partitions) =>
        KafkaRecords.CountByWatermarks(consumer, topic, partitions, RequestTimeout);

    private static int[] Partitions(IAdminClient admin, string topic) => KafkaRecords.Partitions(admin, topic, RequestTimeout);
}
