namespace JournalPump.Host.Config;

/// <summary>The default file-system checks of <see cref="ConfigLoaderOptions"/>.</summary>
internal static class FileChecks
{
    /// <summary>Null when <paramref name="path"/> is a file this process can open for reading, else the reason.</summary>
    public static string? CheckReadable(string path)
    {
        if (Directory.Exists(path))
        {
            return $"'{path}' is a directory, not a file";
        }

        if (!File.Exists(path))
        {
            return $"cannot read '{path}': no such file";
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"cannot read '{path}': permission denied";
        }
        catch (IOException e)
        {
            return $"cannot read '{path}': {e.Message}";
        }
    }

    /// <summary>Null when <paramref name="path"/> can be opened for appending (its directory exists; an existing file is writable), else the reason. Creates nothing.</summary>
    public static string? CheckWritable(string path)
    {
        if (Directory.Exists(path))
        {
            return $"'{path}' is a directory, not a file";
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            return $"cannot create '{path}': directory '{directory}' does not exist";
        }

        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"cannot write '{path}': permission denied";
        }
        catch (IOException e)
        {
            return $"cannot write '{path}': {e.Message}";
        }
    }

    /// <summary>Null when <paramref name="path"/> is an existing directory, else the reason.</summary>
    public static string? CheckDirectory(string path) =>
        Directory.Exists(path) ? null
        : File.Exists(path) ? $"'{path}' is a file, not a directory"
        : $"directory '{path}' does not exist (yet); the reader keeps trying to open it";
}
