using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using JournalPump.Testing;

namespace JournalPump.Benchmarks;

/// <summary>
/// Follow-mode latency of the journalpump daemon, for benchmarks/e2e/latency.sh: starts a standalone
/// journald for a namespace of its own (<see cref="StandaloneJournald"/>, needs root), runs the daemon
/// following that namespace into a file sender, writes <c>rate</c> entries per second for <c>seconds</c>
/// seconds over journald's native protocol, each with its send time (<c>BENCH_SENT_NS</c>, the monotonic
/// <see cref="Stopwatch"/> clock) and sequence number (<c>BENCH_SEQ</c>), and watches the output file
/// (reading the new bytes every millisecond). The latency of an entry is the time from handing its
/// datagram to journald to its line being in the file. Prints the percentiles; exits non-zero when an
/// entry never arrived, came twice, or the daemon failed.
/// </summary>
/// <remarks>
/// Latest figures (2026-11-25 18:42 UTC, 2 cores, shared, load 1.5; 20,000 entries at 1,000/s, JIT host):
/// p50 127.4 ms, p90 228.8 ms, p99 251.7 ms, max 266.5 ms, none lost. The 50 ms target is missed:
/// journald signals readers at most every 250 ms (benchmarks/README.md, "End to end").
/// </remarks>
internal static class LatencyCommand
{
    public static int Run(string[] args)
    {
        if (args.Length is < 2 or > 4
            || !TryInt(args, 2, 20, out int seconds) || !TryInt(args, 3, 1000, out int rate))
        {
            Console.Error.WriteLine("usage: latency <journalpump.dll or native journalpump> [seconds=20] [entries-per-second=1000]");
            return 2;
        }

        int count = seconds * rate;
        string work = Directory.CreateTempSubdirectory("jp-latency-").FullName;
        var journald = StandaloneJournald.Start("jpbench"); // disposed in the finally below, then its socket folder removed
        string socketDirectory = $"/run/systemd/journal.{journald.Namespace}";
        string output = Path.Combine(work, "out.jsonl");
        File.WriteAllText(Path.Combine(work, "pump.json"), $$"""
            {
              "json_state_file_path": "{{Path.Combine(work, "state.json")}}",
              "readers": {
                "bench": {
                  "journal_namespace": "{{journald.Namespace}}",
                  "initial_position": "head",
                  "senders": { "out": { "output_type": "file", "file_output": "{{output}}" } }
                }
              }
            }
            """);
        File.WriteAllBytes(output, []);

        var psi = args[1].EndsWith(".dll", StringComparison.Ordinal)
            ? new ProcessStartInfo("dotnet") { ArgumentList = { args[1] } }
            : new ProcessStartInfo(args[1]);
        psi.ArgumentList.Add(Path.Combine(work, "pump.json"));
        psi.UseShellExecute = false;
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        using var started = new ManualResetEventSlim();
        var stderr = new StringBuilder();
        using var pump = Process.Start(psi) ?? throw new InvalidOperationException("cannot start journalpump");
        pump.OutputDataReceived += (_, _) => { };
        pump.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }

            if (e.Data?.Contains("started", StringComparison.Ordinal) == true)
            {
                started.Set();
            }
        };
        pump.BeginOutputReadLine();
        pump.BeginErrorReadLine();

        try
        {
            if (!started.Wait(TimeSpan.FromSeconds(30)))
            {
                Console.Error.WriteLine("journalpump did not log \"started\" within 30 s:\n" + stderr);
                return 1;
            }

            // A few entries first, not counted: the first read after start-up pays for the JIT.
            for (int i = 0; i < 5; i++)
            {
                journald.Send(("MESSAGE", "warm-up"), ("BENCH_SEQ", "-1"), ("BENCH_SENT_NS", "0"));
            }

            long[] latencies = new long[count];
            Array.Fill(latencies, -1);
            int received = 0, duplicates = 0, warmups = 0;
            using var stop = new CancellationTokenSource();
            Exception? watchError = null;
            var watcher = new Thread(() =>
            {
                try
                {
                    Watch(output, latencies, ref received, ref duplicates, ref warmups, stop.Token);
                }
                catch (Exception e) when (e is IOException or JsonException or FormatException or IndexOutOfRangeException)
                {
                    watchError = e;
                }
            })
            { IsBackground = true };
            watcher.Start();

            long t0 = Stopwatch.GetTimestamp();
            double ticksPerEntry = (double)Stopwatch.Frequency / rate;
            for (int i = 0; i < count; i++)
            {
                long due = t0 + (long)(i * ticksPerEntry);
                long wait = due - Stopwatch.GetTimestamp();
                if (wait > Stopwatch.Frequency / 1000)
                {
                    Thread.Sleep(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                }

                while (Stopwatch.GetTimestamp() < due)
                {
                    Thread.SpinWait(20);
                }

                journald.Send(
                    ("MESSAGE", "latency probe " + i.ToString(CultureInfo.InvariantCulture)),
                    ("BENCH_SEQ", i.ToString(CultureInfo.InvariantCulture)),
                    ("BENCH_SENT_NS", Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture)));
            }

            double sendSeconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            long waitUntil = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
            while (Volatile.Read(ref received) < count && Stopwatch.GetTimestamp() < waitUntil && watcher.IsAlive)
            {
                Thread.Sleep(10);
            }

            Thread.Sleep(300); // late duplicates
            stop.Cancel();
            watcher.Join();

            if (watchError is not null)
            {
                Console.Error.WriteLine("cannot read the output: " + watchError);
                return 1;
            }

            var ms = latencies.Where(l => l >= 0).Select(l => l * 1000.0 / Stopwatch.Frequency).Order().ToArray();
            int missing = count - ms.Length;
            string load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"latency: {count} entries at {rate}/s over {sendSeconds:F1} s (planned {seconds} s), received {ms.Length}, missing {missing}, duplicates {duplicates}, load1 {load}"));
            if (ms.Length > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"latency_ms p50={Percentile(ms, 0.50):F1} p90={Percentile(ms, 0.90):F1} p99={Percentile(ms, 0.99):F1} p99.9={Percentile(ms, 0.999):F1} max={ms[^1]:F1} min={ms[0]:F1} mean={ms.Average():F1}"));
                Console.WriteLine(Percentile(ms, 0.99) < 50 ? "p99 meets the 50 ms target" : "p99 misses the 50 ms target");
            }

            return missing == 0 && duplicates == 0 ? 0 : 1;
        }
        finally
        {
            if (!pump.HasExited)
            {
                Process.Start("kill", ["-TERM", pump.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
                if (!pump.WaitForExit(30_000))
                {
                    pump.Kill();
                }
            }

            Directory.Delete(work, recursive: true);
            journald.Dispose();
            if (Directory.Exists(socketDirectory))
            {
                Directory.Delete(socketDirectory, recursive: true); // journald's sockets; StandaloneJournald leaves them
            }
        }
    }

    private static void Watch(string path, long[] latencies, ref int received, ref int duplicates, ref int warmups, CancellationToken stop)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        byte[] buffer = new byte[1 << 20];
        var line = new List<byte>(4096);
        while (true)
        {
            int n = file.Read(buffer);
            if (n == 0)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                Thread.Sleep(1);
                continue;
            }

            long now = Stopwatch.GetTimestamp();
            for (int i = 0; i < n; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    line.Add(buffer[i]);
                    continue;
                }

                using (var doc = JsonDocument.Parse(line.ToArray()))
                {
                    // journald's own messages ("Journal started", sizes) land in the namespace too: not ours.
                    var root = doc.RootElement;
                    if (!root.TryGetProperty("BENCH_SEQ", out var seqValue) || !root.TryGetProperty("BENCH_SENT_NS", out var sentValue))
                    {
                        line.Clear();
                        continue;
                    }

                    int seq = int.Parse(seqValue.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                    long sent = long.Parse(sentValue.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture);
                    if (seq < 0)
                    {
                        warmups++;
                    }
                    else if (latencies[seq] >= 0)
                    {
                        duplicates++;
                    }
                    else
                    {
                        latencies[seq] = now - sent;
                        Interlocked.Increment(ref received);
                    }
                }

                line.Clear();
            }
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static bool TryInt(string[] args, int index, int fallback, out int value)
    {
        value = fallback;
        return args.Length <= index || (int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0);
    }
}
