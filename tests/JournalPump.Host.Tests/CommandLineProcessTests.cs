using System.Diagnostics;
using static JournalPump.Host.Tests.TestConfigs;

namespace JournalPump.Host.Tests;

/// <summary>Runs the built <c>journalpump</c> executable (as <c>dotnet journalpump.dll</c>) and checks exit codes and output.</summary>
[Category("Process")]
public sealed class CommandLineProcessTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task No_arguments_prints_the_upstream_message_to_stdout_and_exits_1(CancellationToken cancellationToken)
    {
        var run = await RunAsync([], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Stdout, Is.EqualTo("config file argument required\n"));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Two_arguments_print_the_upstream_message_to_stdout_and_exit_1(CancellationToken cancellationToken)
    {
        var run = await RunAsync(["a.json", "b.json"], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Stdout, Is.EqualTo("config file argument required\n"));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Missing_config_file_names_the_path_and_exits_1(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Dir, "missing-config.json");
        var run = await RunAsync([path], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Stderr, Does.Contain($"JournalPump failed to start: Cannot start without json config file at '{path}'"));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Invalid_json_exits_1(CancellationToken cancellationToken)
    {
        var path = WriteConfig("invalid.json", "{\"readers\": ");
        var run = await RunAsync([path], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Stderr, Does.Contain("not valid JSON"));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Invalid_config_lists_every_error_by_path_and_exits_1(CancellationToken cancellationToken)
    {
        var path = WriteConfig("invalid-config.json", WithSender("""{"output_type": "kafka", "kafka_address": "k"}""", "k1", "\"log_level\": \"LOUD\""));
        var run = await RunAsync([path], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Stderr, Does.Contain("journalpump: error: readers.r1.senders.k1.kafka_topic: required for output_type kafka"));
            Assert.That(run.Stderr, Does.Contain("journalpump: error: log_level: unknown log level"));
            Assert.That(run.Stderr, Does.Contain("JournalPump failed to start: '" + path + "' has 2 errors"));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Check_config_exits_0_for_a_valid_config_and_prints_warnings(CancellationToken cancellationToken)
    {
        var path = WriteConfig("valid-check.json", WithReader("{\"flags\": 4, \"journal_path\": \"@DIR@\", \"senders\": {\"s\": " + FileSender() + "}}"));
        var run = await RunAsync(["--check-config", path], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
            Assert.That(run.Stdout, Does.Contain("is valid (1 warning)"));
            Assert.That(run.Stderr, Does.Contain("journalpump: warning: readers.r1.flags: ignored"));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Check_config_exits_1_for_an_invalid_config(CancellationToken cancellationToken)
    {
        var path = WriteConfig("invalid-check.json", WithSender("""{"output_type": "file"}"""));
        var run = await RunAsync(["--check-config", path], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Stderr, Does.Contain("readers.r1.senders.s.file_output: required for output_type file"));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Print_config_masks_a_password(CancellationToken cancellationToken)
    {
        var path = WriteConfig("print.json", WithSender(FileSender("\"extra_field_values\": {\"url\": \"https://bob:s3cr3t-pw@example.com\", \"api_password\": \"other-pw\"}")));
        var run = await RunAsync(["--print-config", path], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
            Assert.That(run.Stdout, Does.Contain("https://bob:***@example.com"));
            Assert.That(run.Stdout, Does.Contain("\"api_password\": \"***\""));
            Assert.That(run.Stdout, Does.Not.Contain("s3cr3t-pw").And.Not.Contain("other-pw"));
            Assert.That(run.Stdout, Does.Contain("\"msg_buffer_max_length\": 50000"));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Version_and_help_exit_0(CancellationToken cancellationToken)
    {
        var version = await RunAsync(["--version"], cancellationToken);
        var help = await RunAsync(["--help"], cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(version.ExitCode, Is.EqualTo(0));
            Assert.That(version.Stdout, Does.StartWith("journalpump "));
            Assert.That(help.ExitCode, Is.EqualTo(0));
            Assert.That(help.Stdout, Does.Contain("--check-config CONFIG"));
        }
    }

    private static string WriteConfig(string name, string json)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, Substitute(json));
        return path;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostBinary.Path);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("USE_RE2");
        using var process = Process.Start(start)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
