namespace JournalPump.Host.Tests;

/// <summary>Where the built <c>journalpump.dll</c> is, for tests that run the daemon as a separate process.</summary>
internal static class HostBinary
{
    private static readonly Lazy<string> LazyPath = new(Find);

    public static string Path => LazyPath.Value;

    private static string Find()
    {
        var local = System.IO.Path.Combine(AppContext.BaseDirectory, "journalpump.dll");
        if (File.Exists(local) && File.Exists(System.IO.Path.Combine(AppContext.BaseDirectory, "journalpump.runtimeconfig.json")))
        {
            return local;
        }

        // Fall back to the host project's own output: tests/JournalPump.Host.Tests/bin/<Configuration>/<tfm>/ → src/JournalPump.Host/bin/<Configuration>/<tfm>/.
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        for (var dir = tfmDir; dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "src", "JournalPump.Host", "bin", configuration, tfmDir.Name, "journalpump.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("journalpump.dll not found next to the tests or under src/JournalPump.Host/bin", local);
    }
}
