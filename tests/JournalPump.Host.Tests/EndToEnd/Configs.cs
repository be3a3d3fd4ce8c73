using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JournalPump.Host.Tests.EndToEnd;

/// <summary>journalpump configurations for the end-to-end tests, and reading back the state file and a live journal.</summary>
internal static class Configs
{
    public const string Reader = "r";

    public static JsonObject FileSender(string path) => new() { ["output_type"] = "file", ["file_output"] = path };

    /// <summary>A reader of a live journald namespace, limited to this test's entries by <c>match_key</c>.</summary>
    public static JsonObject NamespaceReader(string ns, string run, params (string Name, string Path)[] senders) => new()
    {
        ["journal_namespace"] = ns,
        ["initial_position"] = "head",
        ["match_key"] = "E2E_RUN",
        ["match_value"] = run,
        ["senders"] = Senders(senders),
    };

    /// <summary>A reader of a directory of journal files.</summary>
    public static JsonObject PathReader(string directory, params (string Name, string Path)[] senders) => new()
    {
        ["journal_path"] = directory,
        ["initial_position"] = "head",
        ["senders"] = Senders(senders),
    };

    public static string Config(string? statePath, JsonObject reader, string? logLevel = null, int? statsdPort = null)
    {
        var config = new JsonObject();
        if (statsdPort is not null)
        {
            config["statsd"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = statsdPort };
        }

        if (statePath is not null)
        {
            config["json_state_file_path"] = statePath;
        }

        if (logLevel is not null)
        {
            config["log_level"] = logLevel;
        }

        config["readers"] = new JsonObject { [Reader] = reader };
        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>A sender's <c>sent.cursor</c> in the state file, or null (no file, or null in it).</summary>
    public static string? SentCursor(string statePath, string sender = "out")
    {
        if (!File.Exists(statePath))
        {
            return null;
        }

        var state = JsonNode.Parse(File.ReadAllText(statePath))!;
        return state["readers"]?[Reader]?["senders"]?[sender]?["sent"]?["cursor"]?.GetValue<string>();
    }

    /// <summary>Cursor → E2E_SEQ of this run's entries in a journald namespace (<c>journalctl --namespace -o json</c>).</summary>
    public static Dictionary<string, int> NamespaceCursors(string ns, string run)
    {
        var psi = new ProcessStartInfo("journalctl") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("--namespace=" + ns);
        psi.ArgumentList.Add("--output=json");
        psi.ArgumentList.Add("--no-pager");
        psi.ArgumentList.Add("E2E_RUN=" + run);
        using var process = Process.Start(psi)!;
        _ = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, "journalctl failed");
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            map[json.RootElement.GetProperty("__CURSOR").GetString()!] = int.Parse(json.RootElement.GetProperty(Sequenced.Field).GetString()!, CultureInfo.InvariantCulture);
        }

        return map;
    }

    private static JsonObject Senders((string Name, string Path)[] senders)
    {
        var result = new JsonObject();
        foreach (var (name, path) in senders)
        {
            result[name] = FileSender(path);
        }

        return result;
    }
}
