using JournalPump.Host.Config;
using JournalPump.Host.FileOutput;
using JournalPump.Host.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Time.Testing;

namespace JournalPump.Host.Tests.Logging;

/// <summary>Log lines for the journal and for a terminal.</summary>
public sealed class JournalPumpConsoleFormatterTests
{
    [TestCase(LogLevel.Critical, "<2>")]
    [TestCase(LogLevel.Error, "<3>")]
    [TestCase(LogLevel.Warning, "<4>")]
    [TestCase(LogLevel.Information, "<6>")]
    [TestCase(LogLevel.Debug, "<7>")]
    [TestCase(LogLevel.Trace, "<7>")]
    public void Journal_line_is_the_syslog_priority_and_the_message(LogLevel level, string prefix)
    {
        Assert.That(Format(JournalPumpLogFormat.Journal, level, "Sender kafka connected"), Is.EqualTo(prefix + "Sender kafka connected\n"));
    }

    [Test]
    public void Journal_lines_split_a_multi_line_message_each_with_its_priority()
    {
        Assert.That(
            Format(JournalPumpLogFormat.Journal, LogLevel.Warning, "first\nsecond\r\nthird"),
            Is.EqualTo("<4>first\n<4>second\n<4>third\n"));
    }

    [Test]
    public void Journal_lines_carry_an_exception_line_by_line()
    {
        var exception = Thrown();

        string text = Format(JournalPumpLogFormat.Journal, LogLevel.Error, "Send failed", exception);

        string[] lines = text.Split('\n');
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.EndWith("\n"));
            Assert.That(lines[0], Is.EqualTo("<3>Send failed"));
            Assert.That(lines[1], Is.EqualTo("<3>System.InvalidOperationException: broker gone"));
            Assert.That(lines[2], Does.StartWith("<3>   at "));
            Assert.That(lines[..^1], Has.All.StartWith("<3>"));
            Assert.That(lines.Length - 1, Is.EqualTo(exception.ToString().ReplaceLineEndings("\n").Split('\n').Length + 1));
        }
    }

    [TestCase(LogLevel.Critical, "CRITICAL")]
    [TestCase(LogLevel.Error, "ERROR")]
    [TestCase(LogLevel.Warning, "WARNING")]
    [TestCase(LogLevel.Information, "INFO")]
    [TestCase(LogLevel.Debug, "DEBUG")]
    public void Terminal_line_is_time_category_level_message_separated_by_tabs(LogLevel level, string name)
    {
        Assert.That(
            Format(JournalPumpLogFormat.Terminal, level, "Reader system started"),
            Is.EqualTo($"2024-01-02 03:04:05,678\tJournalPump.Test\t{name}\tReader system started\n"));
    }

    [Test]
    public void Terminal_line_is_followed_by_the_exception()
    {
        var exception = Thrown();

        string text = Format(JournalPumpLogFormat.Terminal, LogLevel.Error, "Send failed", exception);

        Assert.That(text, Is.EqualTo("2024-01-02 03:04:05,678\tJournalPump.Test\tERROR\tSend failed\n" + exception.ToString().ReplaceLineEndings("\n") + "\n"));
    }

    [TestCase("DEBUG", LogLevel.Debug)]
    [TestCase("INFO", LogLevel.Information)]
    [TestCase("WARNING", LogLevel.Warning)]
    [TestCase("WARN", LogLevel.Warning)]
    [TestCase("ERROR", LogLevel.Error)]
    [TestCase("CRITICAL", LogLevel.Critical)]
    [TestCase("FATAL", LogLevel.Critical)]
    [TestCase("warning", LogLevel.Warning)]
    public void Log_level_names_map_to_levels(string name, LogLevel expected)
    {
        Assert.That(JournalPumpLogLevels.TryParse(name, out var level), Is.True);
        Assert.That(level, Is.EqualTo(expected));
    }

    [TestCase("NOTICE")]
    [TestCase("")]
    [TestCase(null)]
    public void Other_names_are_not_levels(string? name) => Assert.That(JournalPumpLogLevels.TryParse(name, out _), Is.False);

    // PumpLogLevel is internal: cases by its value (Python's numeric levels).
    [TestCase(10, LogLevel.Debug)]
    [TestCase(20, LogLevel.Information)]
    [TestCase(30, LogLevel.Warning)]
    [TestCase(40, LogLevel.Error)]
    [TestCase(50, LogLevel.Critical)]
    public void Configured_levels_map_to_levels(int configured, LogLevel expected) =>
        Assert.That(JournalPumpLogLevels.ToLogLevel((PumpLogLevel)configured), Is.EqualTo(expected));

    [Test]
    public void JOURNAL_STREAM_matches_only_the_device_and_inode_of_the_file()
    {
        var file = new FileIdentity(Device: 64769, Inode: 123456, Size: 0, IsRegularFile: false);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(JournalStream.Matches("64769:123456", file), Is.True);
            Assert.That(JournalStream.Matches("64769:123457", file), Is.False);
            Assert.That(JournalStream.Matches("8:123456", file), Is.False);
            Assert.That(JournalStream.Matches("64769", file), Is.False);
            Assert.That(JournalStream.Matches("x:y", file), Is.False);
        }
    }

    [Test]
    public void A_stream_is_the_journal_only_when_JOURNAL_STREAM_names_its_device_and_inode()
    {
        string path = Path.GetTempFileName();
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
            Assert.That(FileIdentity.TryGet(handle, out var identity, out _), Is.True);
            string matching = FormattableString.Invariant($"{identity.Device}:{identity.Inode}");
            string other = FormattableString.Invariant($"{identity.Device}:{identity.Inode + 1}");

            using (Assert.EnterMultipleScope())
            {
                Assert.That(JournalStream.IsJournal(matching, handle, stdoutRedirected: false), Is.True);
                Assert.That(JournalStream.IsJournal(other, handle, stdoutRedirected: true), Is.False, "stderr redirected elsewhere");
                Assert.That(JournalStream.IsJournal(null, handle, stdoutRedirected: true), Is.False);
                Assert.That(JournalStream.IsJournal("", handle, stdoutRedirected: true), Is.False);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void AddJournalPumpConsole_registers_the_formatter_and_follows_the_level_switch()
    {
        var levelSwitch = new LogLevelSwitch(LogLevel.Information);
        using var services = new ServiceCollection()
            .AddLogging(builder => builder.AddJournalPumpConsole(levelSwitch, o => o.Format = JournalPumpLogFormat.Journal))
            .BuildServiceProvider();

        var formatter = services.GetServices<ConsoleFormatter>().OfType<JournalPumpConsoleFormatter>().Single();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("JournalPump.Test");
        bool debugBefore = logger.IsEnabled(LogLevel.Debug);
        bool infoBefore = logger.IsEnabled(LogLevel.Information);
        levelSwitch.MinimumLevel = LogLevel.Debug;
        bool debugAfter = logger.IsEnabled(LogLevel.Debug);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(formatter.Format, Is.EqualTo(JournalPumpLogFormat.Journal));
            Assert.That(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConsoleLoggerOptions>>().Value.FormatterName, Is.EqualTo(JournalPumpConsoleFormatter.FormatterName));
            Assert.That(debugBefore, Is.False);
            Assert.That(infoBefore, Is.True);
            Assert.That(debugAfter, Is.True);
        }
    }

    private static string Format(JournalPumpLogFormat format, LogLevel level, string message, Exception? exception = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));
        var formatter = new JournalPumpConsoleFormatter(format, time);
        using var writer = new StringWriter();
        var entry = new LogEntry<string>(level, "JournalPump.Test", new EventId(1), message, exception, (s, _) => s);
        formatter.Write(entry, null, writer);
        return writer.ToString();
    }

    private static InvalidOperationException Thrown()
    {
        try
        {
            throw new InvalidOperationException("broker gone");
        }
        catch (InvalidOperationException ex)
        {
            return ex;
        }
    }
}
