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
