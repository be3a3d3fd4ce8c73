using System.Text.Json;

namespace JournalPump.Host.Config;

/// <summary>What a load produced: the configuration when there is no error, and every problem found.</summary>
/// <param name="Config">The configuration, or null when <paramref name="Problems"/> holds an error.</param>
/// <param name="Problems">Every problem found, errors and warnings, in document order.</param>
internal sealed record ConfigLoadResult(PumpConfig? Config, IReadOnlyList<ConfigProblem> Problems)
{
    /// <summary>Whether the configuration is unusable.</summary>
    public bool HasErrors => Problems.Any(p => p.Severity == ConfigSeverity.Error);

    /// <summary>The errors.</summary>
    public IEnumerable<ConfigProblem> Errors => Problems.Where(p => p.Severity == ConfigSeverity.Error);

    /// <summary>The warnings.</summary>
    public IEnumerable<ConfigProblem> Warnings => Problems.Where(p => p.Severity == ConfigSeverity.Warning);
}

/// <summary>The checks the loader delegates, so the host can wire in Core's regex translator and tests can fake the file system.</summary>
internal sealed record ConfigLoaderOptions
{
    /// <summary>The defaults: .NET regex checks after translating Python syntax, the real file system, <see cref="OutputTypes.AvailableInThisBuild"/>.</summary>
    public static ConfigLoaderOptions Default { get; } = new();

    /// <summary>Checks one Python regex (search field, secret filter pattern): null when valid, else the reason.</summary>
    public Func<string, string?> ValidatePattern { get; init; } = PythonPatterns.PatternValidator(useRe2: false);

    /// <summary>Checks a Python <c>re.sub</c> template against its valid pattern: null when valid, else the reason.</summary>
    public Func<string, string, string?> ValidateReplacement { get; init; } = PythonPatterns.ReplacementValidator(useRe2: false);

    /// <summary>Checks that a file (certificate, key, CA bundle, GeoIP database) can be read: null when it can, else the reason.</summary>
    public Func<string, string?> CheckReadableFile { get; init; } = FileChecks.CheckReadable;

    /// <summary>Checks that an output file can be opened for appending: null when it can, else the reason.</summary>
    public Func<string, string?> CheckWritableFile { get; init; } = FileChecks.CheckWritable;

    /// <summary>Checks that a journal directory exists: null when it does, else the reason (a warning: the reader retries).</summary>
    public Func<string, string?> CheckDirectory { get; init; } = FileChecks.CheckDirectory;

    /// <summary>Checks a Kafka output's producer settings (librdkafka validates them without connecting): the problems found.</summary>
    public Func<KafkaSenderSettings, IReadOnlyList<string>> ValidateKafka { get; init; } = Daemon.KafkaSinkFactory.Validate;

    /// <summary>The output types whose sink this build has.</summary>
    public IReadOnlySet<string> AvailableOutputTypes { get; init; } = OutputTypes.AvailableInThisBuild;

    /// <summary>The options for this process: <c>USE_RE2</c> set to a non-empty value selects the non-backtracking engine, as upstream.</summary>
    public static ConfigLoaderOptions FromEnvironment()
    {
        var useRe2 = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("USE_RE2"));
        return useRe2
            ? Default with
            {
                ValidatePattern = PythonPatterns.PatternValidator(useRe2: true),
                ValidateReplacement = PythonPatterns.ReplacementValidator(useRe2: true),
            }
            : Default;
    }
}

/// <summary>Reads a journalpump JSON configuration into a validated <see cref="PumpConfig"/>, reporting every problem at once.</summary>
internal sealed class ConfigLoader(ConfigLoaderOptions? options = null)
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private readonly ConfigLoaderOptions _options = options ?? ConfigLoaderOptions.Default;

    /// <summary>Loads the file at <paramref name="path"/>; a missing or unreadable file is an error.</summary>
    public ConfigLoadResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Fail($"Cannot start without json config file at '{path}'");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"Cannot read json config file at '{path}': {e.Message}");
        }

        return Load(json);
    }

    /// <summary>Loads a configuration from its JSON text.</summary>
    public ConfigLoadResult Load(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {e.BytePositionInLine + 1}" : "";
            return Fail($"not valid JSON{where}: {FirstSentence(e.Message)}");
        }

        using (document)
        {
            var problems = new ConfigProblems();
            var config = new ConfigParser(_options, problems).Parse(document.RootElement);
            return new ConfigLoadResult(problems.HasErrors ? null : config, problems.All);
        }
    }

    private static ConfigLoadResult Fail(string message) =>
        new(null, [new ConfigProblem("", message, ConfigSeverity.Error)]);

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut].TrimEnd() : message;
    }
}
