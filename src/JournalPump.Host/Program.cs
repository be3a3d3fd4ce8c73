using System.Reflection;

namespace JournalPump.Host;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is ["--version"])
        {
            Console.WriteLine(typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
            return 0;
        }

        Console.Error.WriteLine("journalpump: the daemon is not available in this build yet; see README.md.");
        return 2;
    }
}
