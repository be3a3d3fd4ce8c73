using System.Globalization;
using BenchmarkDotNet.Running;

namespace JournalPump.Benchmarks;

/// <summary>
/// The BenchmarkDotNet suite (any arguments BenchmarkSwitcher takes, for example <c>--filter '*Reader*'</c>),
/// plus plain commands for benchmarks/e2e:
/// <c>generate &lt;dir&gt; &lt;count&gt; &lt;files&gt;</c> builds a deterministic journal,
/// <c>read &lt;dir&gt; [warmup-entries]</c> times one span-path pass over it,
/// <c>latency &lt;journalpump&gt; [seconds] [rate]</c> measures the daemon's follow-mode latency (<see cref="LatencyCommand"/>),
/// <c>kafka-mock [brokers]</c> serves librdkafka's mock Kafka cluster until stdin closes (<see cref="KafkaMockCommand"/>),
/// <c>kafka-count &lt;bootstrap&gt; &lt;topic&gt; [--until N]</c> counts a topic's records by its watermarks (<see cref="KafkaCountCommand"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "generate")
        {
            return Generate(args);
        }

        if (args.Length > 0 && args[0] == "read")
        {
            return ReadCommand.Run(args);
        }

        if (args.Length > 0 && args[0] == "latency")
        {
            return LatencyCommand.Run(args);
        }

        if (args.Length > 0 && args[0] == "kafka-mock")
        {
            return KafkaMockCommand.Run(args);
        }

        if (args.Length > 0 && args[0] == "kafka-count")
        {
            return KafkaCountCommand.Run(args);
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToList();
        bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        return failed ? 1 : 0;
    }

    private static int Generate(string[] args)
    {
        if (args.Length != 4
            || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count <= 0
            || !int.TryParse(args[3], NumberStyles.None, CultureInfo.InvariantCulture, out int files) || files <= 0)
        {
            Console.Error.WriteLine("usage: generate <dir> <count> <files>");
            return 2;
        }

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        JournalGenerator.EnsureJournal(Path.GetFullPath(args[1]), count, files);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"journal {args[1]}: {count} entries in {files} files, ready after {stopwatch.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }
}
