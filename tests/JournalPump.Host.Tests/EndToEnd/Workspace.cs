using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using JournalPump.Testing;

namespace JournalPump.Host.Tests.EndToEnd;

/// <summary>
/// A scratch directory under <c>/var/tmp</c> for one end-to-end test: the config, the output files and the
/// state file (the journal files live in a <see cref="JournalFileBuilder"/> directory or a journald namespace).
/// </summary>
internal sealed class Workspace : IDisposable
{
    public Workspace(string name)
    {
        Directory = Path.Combine("/var/tmp", "journalpump-tests", "e2e-" + name + "-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "journalpump.json");

    public string StatePath => Path.Combine(Directory, "state.json");

    public string Output(string name = "out") => Path.Combine(Directory, name + ".jsonl");

    /// <summary>Writes the config file and returns its path.</summary>
    public string WriteConfig(string json)
    {
        File.WriteAllText(ConfigPath, json);
        return ConfigPath;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

/// <summary>Entries numbered by a custom field <c>E2E_SEQ</c>, and reading the numbers back from output files.</summary>
internal static class Sequenced
{
    public const string Field = "E2E_SEQ";

    private const string BootId = "5b1c0f3e9a7d4c2b8e6f0a1b2c3d4e5f";

    /// <summary>Export entries <paramref name="first"/> .. first+count-1 (timestamps rise with the number).</summary>
    public static IEnumerable<ExportEntry> Entries(int first, int count)
    {
        for (int seq = first; seq < first + count; seq++)
        {
            string n = seq.ToString(CultureInfo.InvariantCulture);
            yield return ExportEntry.Create(1_700_000_000_000_000UL + ((ulong)seq * 1000), 9_000_000_000UL + ((ulong)seq * 1000), BootId)
                .Add("MESSAGE", "end-to-end entry " + n)
                .Add("SYSLOG_IDENTIFIER", "e2e")
                .Add(Field, n);
        }
    }

    /// <summary>Sends entries <paramref name="first"/> .. first+count-1 to a live journald.</summary>
    public static void Send(StandaloneJournald journald, string run, int first, int count)
    {
        for (int seq = first; seq < first + count; seq++)
        {
            string n = seq.ToString(CultureInfo.InvariantCulture);
            journald.Send(("MESSAGE", "end-to-end entry " + n), ("SYSLOG_IDENTIFIER", "e2e"), ("E2E_RUN", run), (Field, n));
        }
    }

    /// <summary>The sequence number of every line of an output file, in order; a line that is not a JSON object with the field fails.</summary>
    public static List<int> Read(string path)
    {
        var result = new List<int>();
        if (!File.Exists(path))
        {
            return result;
        }

        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            try
            {
                using var json = JsonDocument.Parse(line);
                result.Add(int.Parse(json.RootElement.GetProperty(Field).GetString()!, CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new AssertionException($"{path} line {lineNumber} is not a record with {Field}: {e.Message}: {line[..Math.Min(line.Length, 300)]}");
            }
        }

        return result;
    }

    /// <summary>
    /// Like <see cref="Read"/>, but a torn line — the start of a record that a killed process left without its
    /// <c>\n</c>, followed by the next run's first record — is split: the trailing complete record counts, the
    /// fragment counts too when it is a whole record, and each torn line is returned for the report.
    /// </summary>
    /// <returns>The numbers in file order; for each line the index in Seqs where it starts (a whole-record fragment
    /// belongs to the line before), plus one past the end; the torn lines.</returns>
    public static (List<int> Seqs, List<int> LineStarts, List<string> Torn) ReadTolerant(string path)
    {
        var seqs = new List<int>();
        var lineStarts = new List<int>();
        var torn = new List<string>();
        if (!File.Exists(path))
        {
            lineStarts.Add(0);
            return (seqs, lineStarts, torn);
        }

        foreach (var line in File.ReadLines(path))
        {
            if (TryParse(line, out int seq))
            {
                lineStarts.Add(seqs.Count);
                seqs.Add(seq);
                continue;
            }

            torn.Add(line);
            bool recovered = false;
            for (int i = line.IndexOf("{\"", 1, StringComparison.Ordinal); i > 0; i = line.IndexOf("{\"", i + 1, StringComparison.Ordinal))
            {
                if (TryParse(line[i..], out int next))
                {
                    if (TryParse(line[..i], out int fragment))
                    {
                        seqs.Add(fragment);
                    }

                    lineStarts.Add(seqs.Count);
                    seqs.Add(next);
                    recovered = true;
                    break;
                }
            }

            if (!recovered)
            {
                throw new AssertionException($"{path}: a line that is neither a record nor a torn record followed by one: {line}");
            }
        }

        lineStarts.Add(seqs.Count);
        return (seqs, lineStarts, torn);
    }

    private static bool TryParse(string line, out int seq)
    {
        seq = 0;
        try
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty(Field, out var value)
                && int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seq);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The cursors of a journal directory's entries in order (<c>journalctl -D DIR -o json</c>).</summary>
    public static List<string> Cursors(string journalDirectory)
    {
        var psi = new ProcessStartInfo("journalctl") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("--directory=" + journalDirectory);
        psi.ArgumentList.Add("--output=json");
        psi.ArgumentList.Add("--no-pager");
        using var process = Process.Start(psi)!;
        _ = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, "journalctl failed");
        return [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l =>
        {
            using var json = JsonDocument.Parse(l);
            return json.RootElement.GetProperty("__CURSOR").GetString()!;
        })];
    }
}
