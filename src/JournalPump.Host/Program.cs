namespace JournalPump.Host;

internal static class Program
{
    private static Task<int> Main(string[] args)
    {
        Systemd.SignalMask.UnblockShutdownAndReloadSignals();
        return new CommandLine(Console.Out, Console.Error).RunAsync(args);
    }
}
