namespace JournalPump.Core.Filtering;

/// <summary>
/// A filter's configuration cannot be used: a regex that does not compile or cannot be translated from
/// Python syntax, an unknown log level name, a missing required key. The message names the offending
/// value. Thrown by filter constructors, so a bad configuration fails at load time, never per entry.
/// </summary>
public sealed class FilterConfigurationException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public FilterConfigurationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the value.</param>
    public FilterConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the value.</param>
    /// <param name="innerException">The underlying error (for example the .NET regex parser's).</param>
    public FilterConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
