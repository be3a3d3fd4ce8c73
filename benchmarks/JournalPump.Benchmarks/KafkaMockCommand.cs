using System.Globalization;
using System.Runtime.InteropServices;
using JournalPump.Testing.Kafka;

namespace JournalPump.Benchmarks;

/// <summary>
/// A Kafka cluster in a process of its own, for benchmarks/e2e/pump-to-kafka.sh: starts librdkafka's
/// mock cluster (<see cref="KafkaMockCluster"/>, the real Kafka protocol on 127.0.0.1), prints its
/// bootstrap servers as the first line on stdout, and serves until stdin is closed, SIGTERM or SIGINT.
/// </summary>
/// <remarks>
/// Topics are auto-created by the first producer that names them (4 partitions, replication
/// min(3, brokers)). Each partition keeps only its last 5 MiB of record batches, but its offsets, and so
/// its high watermark, count every record appended: <see cref="KafkaCountCommand"/> counts with those.
/// </remarks>
internal static class KafkaMockCommand
{
    public static int Run(string[] args)
    {
        int brokers = 3;
        if (args.Length > 2
            || (args.Length == 2 && (!int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out brokers) || brokers < 1)))
        {
            Console.Error.WriteLine("usage: kafka-mock [brokers=3]");
            return 2;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // stop here, after disposing the cluster, rather than in the runtime
            stop.TrySetResult();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        using var cluster = KafkaMockCluster.Start(brokers);
        Console.Out.WriteLine(cluster.BootstrapServers);
        Console.Out.Flush();

        var stdin = new Thread(() =>
        {
            using var input = Console.OpenStandardInput();
            var buffer = new byte[4096];
            try
            {
                while (input.Read(buffer) > 0)
                {
                }
            }
            catch (IOException)
            {
            }

            stop.TrySetResult();
        })
        {
            IsBackground = true,
            Name = "stdin",
        };
        stdin.Start();

        stop.Task.Wait();
        return 0;
    }
}
