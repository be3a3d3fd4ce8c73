using System.Runtime.InteropServices;

namespace Systemd.Journal;

/// <summary>
/// A libsystemd call failed. <see cref="Errno"/> is the positive errno value that the call returned
/// negated, and <see cref="Function"/> names the call (for example <c>sd_journal_next</c>).
/// </summary>
public sealed class JournalException : Exception
{
    /// <summary>Creates an exception for a failed libsystemd call.</summary>
    /// <param name="errno">The positive errno value.</param>
    /// <param name="function">The libsystemd function that failed.</param>
    public JournalException(int errno, string function)
        : base(FormatMessage(errno, function, detail: null))
    {
        Errno = errno;
        Function = function;
    }

    /// <summary>Creates an exception for a failed libsystemd call, with what was being done.</summary>
    /// <param name="errno">The positive errno value.</param>
    /// <param name="function">The libsystemd function that failed.</param>
    /// <param name="detail">What the call was about, for example the path that was opened.</param>
    public JournalException(int errno, string function, string? detail)
        : base(FormatMessage(errno, function, detail))
    {
        Errno = errno;
        Function = function;
    }

    /// <summary>The positive errno value (<c>EBADMSG</c> = 74 for a corrupted entry, for example).</summary>
    public int Errno { get; }

    /// <summary>The libsystemd function that failed.</summary>
    public string Function { get; }

    /// <summary>True when the failure is <c>EBADMSG</c> or <c>EPROTONOSUPPORT</c>: the journal data is corrupted or uses an unsupported feature.</summary>
    public bool IsCorruption => Errno is ErrnoValues.EBADMSG or ErrnoValues.EPROTONOSUPPORT or ErrnoValues.ENODATA;

    private static string FormatMessage(int errno, string function, string? detail)
    {
        string text = Marshal.GetPInvokeErrorMessage(errno);
        return detail is null
            ? $"{function} failed: {text} (errno {errno})"
            : $"{function} failed for {detail}: {text} (errno {errno})";
    }

    internal static void ThrowIfError(int result, string function)
    {
        if (result < 0)
        {
            Throw(-result, function);
        }
    }

    internal static void Throw(int errno, string function) => throw new JournalException(errno, function);
}

/// <summary>The errno values that the reader gives a meaning to.</summary>
internal static class ErrnoValues
{
    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int EINVAL = 22;
    internal const int ENODATA = 61;
    internal const int EBADMSG = 74;
    internal const int EADDRNOTAVAIL = 99;
    internal const int EPROTONOSUPPORT = 93;
    internal const int E2BIG = 7;
}
