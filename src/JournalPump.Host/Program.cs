namespace JournalPump.Host;

internal static class Program
{
    private static int Main(string[] args) => new CommandLine(Console.Out, Console.Error).Run(args);
}
