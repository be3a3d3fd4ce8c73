using System.Text;
using System.Text.RegularExpressions;
using JournalPump.Testing;

namespace JournalPump.Host.Tests.EndToEnd;

/// <summary>
/// Every golden case through the daemon process, as the golden README runs the reference: build the journal
/// from input.export, fill in the placeholders, run, wait for every expected line (and datagram), SIGTERM,
/// then compare the output bytes, the normalised state file and the normalised statsd datagrams.
/// </summary>
[Category("Integration")]
public sealed partial class GoldenProcessTests
{
    public static IEnumerable<string> Cases() =>
        GoldenCases.ConfigFiles().Select(p => Path.GetFileName(Path.GetDirectoryName(p)!));

    [Test]
    public void Golden_cases_are_found() =>
        Assert.That(Cases().Count(), Is.GreaterThanOrEqualTo(19), "golden folder: " + GoldenCases.Root);

    [TestCaseSource(nameof(Cases))]
    [CancelAfter(120_000)]
    public async Task Golden_case_through_the_daemon_gives_the_reference_output_state_and_metrics(string name)
    {
        var cancellationToken = TestContext.CurrentContext.CancellationToken;
        string caseDir = Path.Combine(GoldenCases.Root, name);
        using var journal = new JournalFileBuilder("e2e-golden-" + name);
        journal.AddExportFile(Path.Combine(caseDir, "input.export"), "golden.journal");
        using var work = new Workspace("golden-" + name);
        await using var statsd = new StatsdListener();

        string output = work.Output();
        string config = File.ReadAllText(Path.Combine(caseDir, "config.json"))
            .Replace("@JOURNAL_DIR@", journal.Directory, StringComparison.Ordinal)
            .Replace("@OUTPUT@", output, StringComparison.Ordinal)
            .Replace("@STATE@", work.StatePath, StringComparison.Ordinal)
            .Replace("\"@STATSD_PORT@\"", statsd.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        byte[] expected = File.ReadAllBytes(Path.Combine(caseDir, "expected.jsonl"));
        int expectedLines = expected.Count(b => b == (byte)'\n');
        string metricsPath = Path.Combine(caseDir, "expected-metrics.txt");
        List<string>? expectedMetrics = File.Exists(metricsPath)
            ? [.. File.ReadAllText(metricsPath).Split('\n', StringSplitOptions.RemoveEmptyEntries)]
            : null;

        await using var pump = PumpProcess.Start(work.WriteConfig(config));
        await pump.WaitUntilStartedAsync(cancellationToken);
        var lines = new LineCounter(output);
        await Change.WaitUntilAsync(() => lines.Count() >= expectedLines, $"{output} has {expectedLines} lines", cancellationToken, pump, [work.Directory]);
        if (expectedMetrics is not null)
        {
            await Change.WaitUntilAsync(
                () => ContainsAll(StatsdListener.Normalise(statsd.Lines), expectedMetrics),
                "every expected statsd line has arrived",
                cancellationToken,
                pump,
                statsd: statsd);
        }

        int exitCode = await pump.StopAsync(cancellationToken);
        string state = File.Exists(work.StatePath) ? NormaliseState(File.ReadAllText(work.StatePath)) : "(no state file)";
        TestContext.Out.WriteLine("normalised state file:\n" + state);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, pump.Stderr);
            Assert.That(pump.Stderr, Does.Contain(PumpProcess.StoppedLine));
            Assert.That(Encoding.UTF8.GetString(File.ReadAllBytes(output)), Is.EqualTo(Encoding.UTF8.GetString(expected)), "output");
            Assert.That(File.ReadAllBytes(output), Is.EqualTo(expected), "output bytes");
            Assert.That(state, Is.EqualTo(File.ReadAllText(Path.Combine(caseDir, "expected-state.json"))), "normalised state file");
            if (expectedMetrics is not null)
            {
                Assert.That(StatsdListener.Normalise(statsd.Lines), Is.EqualTo(expectedMetrics), "normalised statsd datagrams");
            }
        }
    }

    /// <summary>The golden README's state normalisation: the seqnum id, <c>elapsed</c> and <c>start_time</c> become placeholders.</summary>
    internal static string NormaliseState(string text)
    {
        text = SeqnumId().Replace(text, "s=@SEQNUM_ID@;");
        text = Elapsed().Replace(text, "\"elapsed\": \"@ELAPSED@\"");
        return StartTime().Replace(text, "\"start_time\": \"@START_TIME@\"");
    }

    /// <summary>Every expected line is present at least as often as expected (counters may repeat).</summary>
    private static bool ContainsAll(List<string> received, List<string> expected)
    {
        var counts = received.GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return expected.GroupBy(l => l, StringComparer.Ordinal).All(g => counts.TryGetValue(g.Key, out int n) && n >= g.Count());
    }

    [GeneratedRegex("s=[0-9a-f]{32};")]
    private static partial Regex SeqnumId();

    [GeneratedRegex("\"elapsed\": [-+0-9.eE]+")]
    private static partial Regex Elapsed();

    [GeneratedRegex("\"start_time\": \"[^\"]*\"")]
    private static partial Regex StartTime();
}
