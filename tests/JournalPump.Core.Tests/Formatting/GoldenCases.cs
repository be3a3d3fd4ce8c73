namespace JournalPump.Core.Tests.Formatting;

/// <summary>Finds ../shared/golden next to the repository, from the test binaries' directory upwards.</summary>
internal static class GoldenCases
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static IEnumerable<string> Names()
    {
        string? root = TryFindRoot();
        if (root is null)
        {
            return [];
        }

        return Directory.GetDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, "input.export")))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal);
    }

    private static string FindRoot() =>
        TryFindRoot() ?? throw new DirectoryNotFoundException(
            "shared/golden not found above " + TestContext.CurrentContext.TestDirectory);

    private static string? TryFindRoot()
    {
        string start = TestContext.CurrentContext?.TestDirectory ?? AppContext.BaseDirectory;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            foreach (string candidate in new[] { Path.Combine(dir.FullName, "shared", "golden"), Path.Combine(dir.FullName, "..", "shared", "golden") })
            {
                if (Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        return null;
    }
}
