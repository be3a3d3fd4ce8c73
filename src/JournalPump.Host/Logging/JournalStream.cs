using System.Globalization;
using Microsoft.Win32.SafeHandles;
using JournalPump.Host.FileOutput;

namespace JournalPump.Host.Logging;

/// <summary>Whether stderr is systemd's journal stream (systemd.exec(5), <c>JOURNAL_STREAM</c>).</summary>
internal static class JournalStream
{
    /// <summary>The variable systemd sets to <c>device:inode</c> of the stream it connected to stdout/stderr.</summary>
    public const string Variable = "JOURNAL_STREAM";

    /// <summary>
    /// Whether stderr goes to the journal: <c>JOURNAL_STREAM</c> names the device and inode of file descriptor 2.
    /// When they cannot be read, whether <c>JOURNAL_STREAM</c> is set and stdout is not a terminal.
    /// </summary>
    /// <returns>Whether to write journald's <c>&lt;N&gt;</c> lines.</returns>
    public static bool IsStandardErrorJournal()
    {
        using var stderr = new SafeFileHandle(2, ownsHandle: false);
        return IsJournal(Environment.GetEnvironmentVariable(Variable), stderr, Console.IsOutputRedirected);
    }

    /// <summary>Whether <paramref name="stream"/> is the journal stream <c>JOURNAL_STREAM</c> names.</summary>
    /// <param name="journalStream">The <c>JOURNAL_STREAM</c> value.</param>
    /// <param name="stream">The stream (stderr).</param>
    /// <param name="stdoutRedirected">Whether stdout is not a terminal: the answer when the stream cannot be stat'ed.</param>
    /// <returns>Whether to write journald's lines.</returns>
    internal static bool IsJournal(string? journalStream, SafeFileHandle stream, bool stdoutRedirected)
    {
        if (string.IsNullOrEmpty(journalStream))
        {
            return false;
        }

        try
        {
            return FileIdentity.TryGet(stream, out var identity, out _) ? Matches(journalStream, identity) : stdoutRedirected;
        }
        catch (EntryPointNotFoundException)
        {
            return stdoutRedirected;
        }
    }

    /// <summary>Whether a <c>JOURNAL_STREAM</c> value names this file.</summary>
    /// <param name="value">The value, <c>device:inode</c> in decimal.</param>
    /// <param name="file">The file.</param>
    /// <returns>Whether they match.</returns>
    internal static bool Matches(string value, FileIdentity file)
    {
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && ulong.TryParse(value.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out ulong device)
            && ulong.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode)
            && device == file.Device
            && inode == file.Inode;
    }
}
