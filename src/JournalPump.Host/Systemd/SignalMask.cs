namespace JournalPump.Host.Systemd;

/// <summary>
/// Makes sure the signals the daemon acts on reach it. A process inherits the signal mask of the thread that
/// started it, and threads created by native libraries such as librdkafka block every signal: a parent that
/// starts the daemon from such a thread (or a supervisor that blocks signals) would leave SIGTERM, SIGINT and
/// SIGHUP blocked for good, and the daemon deaf to them. systemd resets the mask; other parents may not.
/// </summary>
internal static class SignalMask
{
    /// <summary>Unblocks SIGHUP, SIGINT and SIGTERM on the calling thread (call it on the main thread, first).</summary>
    /// <returns>Whether any of them was blocked.</returns>
    public static bool UnblockShutdownAndReloadSignals()
    {
        Interop.Libc.sigemptyset(out var set);
        Interop.Libc.sigaddset(ref set, Interop.Libc.SigHup);
        Interop.Libc.sigaddset(ref set, Interop.Libc.SigInt);
        Interop.Libc.sigaddset(ref set, Interop.Libc.SigTerm);
        int error = Interop.Libc.pthread_sigmask(Interop.Libc.SigUnblock, set, out var old);
        if (error != 0)
        {
            return false;
        }

        // sigismember is a function too, but the bits are plain: signal n is bit n-1 of the first word.
        return (old.FirstWord & ((1L << (Interop.Libc.SigHup - 1)) | (1L << (Interop.Libc.SigInt - 1)) | (1L << (Interop.Libc.SigTerm - 1)))) != 0;
    }
}
