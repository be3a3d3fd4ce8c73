namespace JournalPump.Host.Config;

/// <summary>Collects the problems of one load, in the order they are found.</summary>
internal sealed class ConfigProblems
{
    private readonly List<ConfigProblem> _problems = [];

    /// <summary>Everything found so far.</summary>
    public IReadOnlyList<ConfigProblem> All => _problems;

    /// <summary>Whether an error was found.</summary>
    public bool HasErrors => _problems.Any(p => p.Severity == ConfigSeverity.Error);

    /// <summary>How many errors were found so far.</summary>
    public int ErrorCount => _problems.Count(p => p.Severity == ConfigSeverity.Error);

    /// <summary>The path of <paramref name="key"/> inside <paramref name="path"/>.</summary>
    public static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    /// <summary>The path of list item <paramref name="index"/> of <paramref name="path"/>.</summary>
    public static string Index(string path, int index) => $"{path}[{index}]";

    /// <summary>Records an error.</summary>
    public void Error(string path, string message) => _problems.Add(new(path, message, ConfigSeverity.Error));

    /// <summary>Records a warning.</summary>
    public void Warning(string path, string message) => _problems.Add(new(path, message, ConfigSeverity.Warning));

    /// <summary>Records a note.</summary>
    public void Info(string path, string message) => _problems.Add(new(path, message, ConfigSeverity.Info));
}
