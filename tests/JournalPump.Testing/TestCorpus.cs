using System.Globalization;
using System.Text;

namespace JournalPump.Testing;

/// <summary>
/// Deterministic, realistic journal entries: 15 to 25 fields each from several transports, messages of
/// 40 to 400 bytes, and at a steady rate multi-line messages, binary and non-UTF-8 values and repeated
/// field names. Timestamps rise strictly, so journal order is generation order.
/// </summary>
public static class TestCorpus
{
    /// <summary>The boot id of every generated entry.</summary>
    public const string BootId = "3f2a9c1e7b5d4e6f8a0b1c2d3e4f5a6b";

    /// <summary>The realtime of entry 0, in microseconds (2023-11-14T22:13:20Z).</summary>
    public const ulong StartRealtime = 1_700_000_000_000_000;

    private static readonly string[] Units = ["ssh.service", "nginx.service", "cron.service", "postgresql@15-main.service", "kafka.service", "systemd-logind.service", "docker.service", "user@1000.service"];
    private static readonly string[] Words = ["connection", "accepted", "from", "user", "session", "opened", "closed", "request", "GET", "POST", "/api/v1/items", "status", "200", "404", "500", "latency", "ms", "bytes", "checkpoint", "complete", "worker", "started", "stopped", "timeout", "retrying", "error:", "warning:", "ok", "id=", "trace"];
    private static readonly string[] Transports = ["journal", "stdout", "syslog", "kernel"];

    /// <summary>Generates <paramref name="count"/> entries starting at index <paramref name="first"/>.</summary>
    public static IEnumerable<ExportEntry> Generate(int first, int count, int seed = 1)
    {
        for (int i = first; i < first + count; i++)
        {
            yield return Entry(i, seed);
        }
    }

    /// <summary>Entry number <paramref name="index"/>; the same index and seed always give the same entry.</summary>
    public static ExportEntry Entry(int index, int seed = 1)
    {
        // A fixed formula: HashCode.Combine is randomised per process, and the corpus must be the same in every process.
        var random = new Random(unchecked((index * 7919) + (seed * 104_729)));
        ulong realtime = StartRealtime + ((ulong)index * 1000) + (ulong)random.Next(0, 999);
        ulong monotonic = 5_000_000_000 + ((ulong)index * 1000) + 1;
        var e = ExportEntry.Create(realtime, monotonic, BootId);
        string unit = Units[index % Units.Length];
        string transport = Transports[random.Next(Transports.Length)];
        int pid = 100 + (index % 4000);
        e.Add("_TRANSPORT", transport)
         .Add("PRIORITY", ((index * 7) % 8).ToString(CultureInfo.InvariantCulture))
         .Add("SYSLOG_FACILITY", "3")
         .Add("SYSLOG_IDENTIFIER", unit.Split('.')[0])
         .Add("_PID", pid.ToString(CultureInfo.InvariantCulture))
         .Add("_UID", (index % 3 == 0 ? 0 : 1000).ToString(CultureInfo.InvariantCulture))
         .Add("_GID", (index % 3 == 0 ? 0 : 1000).ToString(CultureInfo.InvariantCulture))
         .Add("_COMM", unit.Split('.')[0][..Math.Min(15, unit.Split('.')[0].Length)])
         .Add("_EXE", "/usr/bin/" + unit.Split('.')[0])
         .Add("_CMDLINE", "/usr/bin/" + unit.Split('.')[0] + " --config /etc/" + unit.Split('.')[0] + ".conf")
         .Add("_SYSTEMD_UNIT", unit)
         .Add("_SYSTEMD_SLICE", "system.slice")
         .Add("_SYSTEMD_CGROUP", "/system.slice/" + unit)
         .Add("_SYSTEMD_INVOCATION_ID", Hex(random, 16))
         .Add("_CAP_EFFECTIVE", "1ffffffffff")
         .Add("CODE_FILE", "src/" + Words[random.Next(Words.Length)].Trim(':', '=', '/') + ".c")
         .Add("CODE_LINE", random.Next(1, 5000).ToString(CultureInfo.InvariantCulture))
         .Add("CODE_FUNC", "handle_" + Words[random.Next(Words.Length)].Trim(':', '=', '/'))
         .Add("_SOURCE_REALTIME_TIMESTAMP", (realtime - 17).ToString(CultureInfo.InvariantCulture));

        int extra = random.Next(0, 6);
        for (int k = 0; k < extra; k++)
        {
            e.Add("APP_FIELD_" + k.ToString(CultureInfo.InvariantCulture), Sentence(random, 8, 40));
        }

        switch (index % 50)
        {
            case 7:
                e.Add("MESSAGE", "first line of " + index.ToString(CultureInfo.InvariantCulture) + "\n  second line\n\tthird line");
                break;
            case 13:
                e.Add("MESSAGE", "binary payload follows");
                e.Add("BINARY_BLOB", RandomBytes(random, random.Next(1, 64)));
                break;
            case 21:
                e.Add("MESSAGE", [0x6e, 0x6f, 0x6e, 0x2d, 0x75, 0x74, 0x66, 0x38, 0x3a, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x80]);
                break;
            case 33:
                e.Add("MESSAGE", "repeated fields " + index.ToString(CultureInfo.InvariantCulture));
                e.Add("TAG", "alpha").Add("TAG", "beta").Add("TAG", "gamma " + index.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                e.Add("MESSAGE", Sentence(random, 40, 400));
                break;
        }

        return e;
    }

    /// <summary>An entry with one field over 1 MiB.</summary>
    public static ExportEntry Huge(int index, int size = (1 << 20) + 12345)
    {
        var e = ExportEntry.Create(StartRealtime + ((ulong)index * 1000), 5_000_000_000 + ((ulong)index * 1000) + 1, BootId);
        var random = new Random(index);
        var text = new StringBuilder(size);
        while (text.Length < size)
        {
            text.Append(Words[random.Next(Words.Length)]).Append(' ');
        }

        e.Add("MESSAGE", text.ToString(0, size));
        e.Add("PRIORITY", "6");
        return e;
    }

    private static string Sentence(Random random, int min, int max)
    {
        int target = random.Next(min, max + 1);
        var sb = new StringBuilder(target + 16);
        while (sb.Length < target)
        {
            sb.Append(Words[random.Next(Words.Length)]).Append(' ');
        }

        return sb.ToString(0, target).TrimEnd();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        bytes[0] = 0; // always binary
        return bytes;
    }

    private static string Hex(Random random, int bytes)
    {
        byte[] b = new byte[bytes];
        random.NextBytes(b);
        return Convert.ToHexStringLower(b);
    }
}
