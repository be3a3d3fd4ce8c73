using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Systemd.Journal;

namespace JournalPump.Benchmarks;

/// <summary>
/// The .NET half of benchmarks/e2e/reader-vs-c.sh: the same loop as <c>reader-loop.c</c> (next entry,
/// enumerate every field, sum the lengths of <c>NAME=value</c>) over <see cref="Journal"/>'s span path,
/// timed with a <see cref="Stopwatch"/>. Prints one line of <c>key=value</c> pairs for the script.
/// </summary>
internal static class ReadCommand
{
    public static int Run(string[] args)
    {
        if (args.Length is < 2 or > 3)
        {
            Console.Error.WriteLine("usage: read <dir> [warmup-entries]");
            return 2;
        }

        int warmup = args.Length == 3 ? int.Parse(args[2], NumberStyles.None, CultureInfo.InvariantCulture) : 50_000;
        using var journal = Journal.OpenDirectory(args[1]);

        // Warm-up, as the C loop does too: the first entries, so that the JIT has tiered the hot
        // methods up before the timed pass; then back to the head.
        if (warmup > 0)
        {
            ReadAll(journal, warmup, out _);
            journal.SeekHead();
        }

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        long entries = ReadAll(journal, long.MaxValue, out long bytes);
        var elapsed = Stopwatch.GetElapsedTime(start);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        if (entries == 0)
        {
            Console.Error.WriteLine($"no entries in {args[1]}");
            return 1;
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"dotnet entries={entries} bytes={bytes} seconds={elapsed.TotalSeconds:F3} entries_per_sec={entries / elapsed.TotalSeconds:F0} alloc_bytes_per_entry={(double)allocated / entries:F3}"));
        return 0;
    }

    // NoInlining keeps the loop one method, as in the C program, and keeps it out of Run's frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ReadAll(Journal journal, long limit, out long bytes)
    {
        long entries = 0;
        long sum = 0;
        while (entries < limit && journal.MoveNext())
        {
            entries++;
            foreach (var field in journal.EnumerateFields())
            {
                // NAME '=' value: the same count as the C loop's data length.
                sum += field.Name.Length + 1 + field.Value.Length;
            }
        }

        bytes = sum;
        return entries;
    }
}
