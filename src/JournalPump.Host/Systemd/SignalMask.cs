namespace JournalPump.Host.Systemd;

/// <summary>
/// Makes sure the signals the daemon acts on reach it. A process inherits the signal mask of the thread that
/// started it, and threads created by native libraries such as librdkafka block every signal: a parent that
/// starts the daemon from such a thread (or a supervisor that blocks signals) would leave SIGTERM, SIGINT and
/// SIGHUP blocked for good, and the daemon deaf to them. Ignored signals are inherited too: under
/// <c>nohup</c>, SIGHUP (reload, reopen the output files after log rotation) would be ignored. systemd resets
/// both; other parents may not.
/// </summary>
internal static class SignalMask
{
    /// <summary>Restores the default action of SIGHUP, SIGINT and SIGTERM and unblocks them on the calling thread (call it on the main thread, first).</summary>
    public static void UnblockShutdownAndReloadSignals()
    {
        // An inherited SIG_IGN stays unless the disposition is reset before the runtime installs its handlers.
        foreach (int signal in (int[])[Interop.Libc.SigHup, Interop.Libc.SigInt, Interop.Libc.SigTerm])
        {
            Interop.Libc.signal(signal, 0);
        }

        Interop.Libc.sigemptyset(out var set);
        Interop.Libc.sigaddset(ref set, Interop.Libc.SigHup);
        Interop.Libc.sigaddset(ref set, Interop.Libc.SigInt);
        Interop.Libc.sigaddset(ref set, Interop.Libc.SigTerm);
        Interop.Libc.pthread_sigmask(Interop.Libc.SigUnblock, set, out _);
    }
}
