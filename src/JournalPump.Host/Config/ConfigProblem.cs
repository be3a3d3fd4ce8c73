namespace JournalPump.Host.Config;

/// <summary>How serious a configuration problem is.</summary>
internal enum ConfigSeverity
{
    /// <summary>Worth telling the operator; nothing is wrong.</summary>
    Info,

    /// <summary>The configuration works, but not the way its author may expect (a key is ignored, a default applies).</summary>
    Warning,

    /// <summary>The configuration cannot be used; the daemon does not start.</summary>
    Error,
}

/// <summary>One problem found in a configuration file.</summary>
/// <param name="Path">Where: the JSON path of the key, dot-separated, lists indexed (<c>readers.r1.senders.k1.kafka_topic</c>, <c>readers.r1.secret_filters[0].pattern</c>); empty for the document itself.</param>
/// <param name="Message">What is wrong, in words an operator can act on.</param>
/// <param name="Severity">Whether the configuration can still be used.</param>
internal sealed record ConfigProblem(string Path, string Message, ConfigSeverity Severity)
{
    /// <summary>The problem as one line: <c>error: readers.r1.senders.k1.kafka_topic: required for output_type kafka</c>.</summary>
    public override string ToString()
    {
        var severity = Severity switch
        {
            ConfigSeverity.Error => "error",
            ConfigSeverity.Warning => "warning",
            _ => "info",
        };
        return Path.Length == 0 ? $"{severity}: {Message}" : $"{severity}: {Path}: {Message}";
    }
}
