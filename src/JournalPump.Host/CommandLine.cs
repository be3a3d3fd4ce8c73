using System.Reflection;
using System.Text;
using JournalPump.Host.Config;

namespace JournalPump.Host;

/// <summary>The process exit statuses (spec 1.5, plus ours).</summary>
internal static class ExitCodes
{
    /// <summary>Normal stop, valid configuration, help or version printed.</summary>
    public const int Success = 0;

    /// <summary>Wrong arguments, missing or invalid configuration (as upstream).</summary>
    public const int Failure = 1;

}

/// <summary>
/// The command line: <c>journalpump CONFIG</c> (upstream's only form), plus <c>--check-config CONFIG</c>, <c>--print-config CONFIG</c>,
/// <c>--version</c> and <c>--help</c>. Writers are injected so tests can run it in-process.
/// </summary>
internal sealed class CommandLine(TextWriter stdout, TextWriter stderr, ConfigLoaderOptions? loaderOptions = null)
{
    /// <summary>What upstream prints to stdout for a wrong number of arguments.</summary>
    public const string ArgumentRequired = "config file argument required";

    private const string Usage = """
        Usage: journalpump CONFIG
               journalpump --check-config CONFIG
               journalpump --print-config CONFIG
               journalpump --version | --help

        Ships the systemd journal as Aiven's journalpump does, configured by its JSON file.

          CONFIG                 run the daemon with this configuration file
          --check-config CONFIG  validate CONFIG; problems go to stderr; exit 0 when valid, 1 when not
          --print-config CONFIG  print the effective configuration (defaults filled in, secrets masked) as JSON
          --version              print the version
          --help                 print this help

        Environment: USE_RE2 (non-empty) checks and runs regexes with the non-backtracking engine, like upstream's RE2 option.
        Exit status: 0 success (including a stop by SIGTERM/SIGINT), 1 wrong arguments, invalid configuration or a failure that stopped the pump.
        """;

    private readonly ConfigLoader _loader = new(loaderOptions ?? ConfigLoaderOptions.FromEnvironment());

    /// <summary>Runs the command line and returns the exit status.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        switch (args)
        {
            case ["--help" or "-h"]:
                stdout.WriteLine(Usage);
                return ExitCodes.Success;
            case ["--version"]:
                stdout.WriteLine($"journalpump {Version}");
                return ExitCodes.Success;
            case ["--check-config", var path]:
                return CheckConfig(path);
            case ["--print-config", var path]:
                return PrintConfig(path);
            case ["--check-config" or "--print-config"]:
                stdout.WriteLine(ArgumentRequired);
                return ExitCodes.Failure;
            case [var path]:
                return await RunDaemonAsync(path).ConfigureAwait(false);
            default:
                stdout.WriteLine(ArgumentRequired);
                return ExitCodes.Failure;
        }
    }

    /// <summary>The informational version of this build.</summary>
    public static string Version =>
        typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private int CheckConfig(string path)
    {
        var result = _loader.LoadFile(path);
        ReportProblems(result);
        if (result.Config is null)
        {
            stderr.WriteLine($"journalpump: '{path}' is not valid: {Count(result.Errors.Count(), "error")}");
            return ExitCodes.Failure;
        }

        stdout.WriteLine($"journalpump: '{path}' is valid ({Count(result.Warnings.Count(), "warning")})");
        return ExitCodes.Success;
    }

    private int PrintConfig(string path)
    {
        var result = _loader.LoadFile(path);
        ReportProblems(result);
        if (result.Config is null)
        {
            stderr.WriteLine($"journalpump: '{path}' is not valid: {Count(result.Errors.Count(), "error")}");
            return ExitCodes.Failure;
        }

        using var buffer = new MemoryStream();
        ConfigPrinter.Write(result.Config, buffer);
        stdout.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        return ExitCodes.Success;
    }

    private async Task<int> RunDaemonAsync(string path)
    {
        var result = _loader.LoadFile(path);
        if (result.Config is null && result.Problems is [{ Path: "" } only])
        {
            stderr.WriteLine($"JournalPump failed to start: {only.Message}");
            return ExitCodes.Failure;
        }

        ReportProblems(result);
        if (result.Config is null)
        {
            stderr.WriteLine($"JournalPump failed to start: '{path}' has {Count(result.Errors.Count(), "error")}");
            return ExitCodes.Failure;
        }

        return await Daemon.DaemonHost.RunAsync(path, result.Config, _loader).ConfigureAwait(false);
    }

    private void ReportProblems(ConfigLoadResult result)
    {
        foreach (var problem in result.Problems)
        {
            stderr.WriteLine($"journalpump: {problem}");
        }
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
