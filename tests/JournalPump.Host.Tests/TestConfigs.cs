using JournalPump.Host.Config;

namespace JournalPump.Host.Tests;

/// <summary>Builds configuration texts around a fragment and loads them; <c>@DIR@</c> stands for a scratch directory that exists.</summary>
internal static class TestConfigs
{
    /// <summary>Loader options with every output type available, for testing the keys of types whose sink is not built yet.</summary>
    public static ConfigLoaderOptions AllOutputTypes { get; } = ConfigLoaderOptions.Default with
    {
        AvailableOutputTypes = OutputTypes.All.ToHashSet(StringComparer.Ordinal),
    };

    /// <summary>The scratch directory (created once per run, removed by <see cref="ScratchDirectoryCleanup"/>).</summary>
    public static string Dir => ScratchDirectoryCleanup.Directory;

    /// <summary>A whole configuration with one reader <c>r1</c>.</summary>
    public static string WithReader(string reader, string topLevel = "") =>
        "{\"json_state_file_path\": \"@DIR@/state.json\", " + topLevel + (topLevel.Length > 0 ? ", " : "") + "\"readers\": {\"r1\": " + reader + "}}";

    /// <summary>A whole configuration with one reader <c>r1</c> holding one sender.</summary>
    public static string WithSender(string sender, string name = "s", string topLevel = "") =>
        WithReader("{\"journal_path\": \"@DIR@\", \"senders\": {\"" + name + "\": " + sender + "}}", topLevel);

    /// <summary>A file sender writing into the scratch directory, with extra keys.</summary>
    public static string FileSender(string extra = "") =>
        $$"""{"output_type": "file", "file_output": "@DIR@/out.jsonl"{{(extra.Length > 0 ? ", " : "")}}{{extra}}}""";

    public static string KafkaSender(string extra = "") =>
        $$"""{"output_type": "kafka", "kafka_address": "127.0.0.1:9092", "kafka_topic": "t"{{(extra.Length > 0 ? ", " : "")}}{{extra}}}""";

    public static string Substitute(string json) => json.Replace("@DIR@", Dir, StringComparison.Ordinal);

    public static ConfigLoadResult Load(string json, ConfigLoaderOptions? options = null) =>
        new ConfigLoader(options ?? ConfigLoaderOptions.Default).Load(Substitute(json));

    public static string Describe(ConfigLoadResult result) =>
        "problems:\n" + string.Join("\n", result.Problems);

    public static void AssertProblem(ConfigLoadResult result, ConfigSeverity severity, string path, string fragment) =>
        Assert.That(
            result.Problems,
            Has.Some.Matches<ConfigProblem>(p => p != null && p.Severity == severity && p.Path == path && p.Message.Contains(fragment, StringComparison.Ordinal)),
            () => $"expected {severity} at '{path}' containing '{fragment}'; " + Describe(result));
}

[SetUpFixture]
public sealed class ScratchDirectoryCleanup
{
    private static readonly Lazy<string> LazyDirectory = new(() => System.IO.Directory.CreateTempSubdirectory("jp-host-tests-").FullName);

    internal static string Directory => LazyDirectory.Value;

    [OneTimeTearDown]
    public void RemoveScratchDirectory()
    {
        if (LazyDirectory.IsValueCreated)
        {
            System.IO.Directory.Delete(LazyDirectory.Value, recursive: true);
        }
    }
}
