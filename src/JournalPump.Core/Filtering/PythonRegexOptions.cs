namespace JournalPump.Core.Filtering;

/// <summary>
/// How journalpump's Python regular expressions (searches, secret filters) are compiled: which .NET
/// engine runs them and how long one evaluation may take.
/// </summary>
public sealed class PythonRegexOptions
{
    /// <summary>The environment variable upstream reads: any non-empty value selects RE2 (linear time).</summary>
    public const string LinearEngineEnvironmentVariable = "USE_RE2";

    /// <summary>The default <see cref="MatchTimeout"/>: one second.</summary>
    public static readonly TimeSpan DefaultMatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Backtracking engine, <see cref="DefaultMatchTimeout"/>.</summary>
    public static PythonRegexOptions Default { get; } = new();

    /// <summary>
    /// Use <see cref="System.Text.RegularExpressions.RegexOptions.NonBacktracking"/> (linear time in the
    /// input, like upstream's RE2 mode): back-references, look-arounds, atomic groups and conditionals are
    /// then rejected at compile time. Config: <c>USE_RE2</c> environment variable or top-level
    /// <c>regex_engine: "linear"</c>.
    /// </summary>
    public bool UseLinearEngine { get; init; }

    /// <summary>
    /// The longest one regex evaluation may run before it is abandoned (counted as
    /// <c>journal.regex_timeout</c>); <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> disables the
    /// limit. Config: top-level <c>regex_match_timeout</c> (seconds).
    /// </summary>
    public TimeSpan MatchTimeout { get; init; } = DefaultMatchTimeout;

    /// <summary>Options from the process environment: the linear engine when <c>USE_RE2</c> is set to any non-empty value.</summary>
    /// <param name="matchTimeout">The match timeout; <see langword="null"/> for <see cref="DefaultMatchTimeout"/>.</param>
    /// <returns>The options.</returns>
    public static PythonRegexOptions FromEnvironment(TimeSpan? matchTimeout = null) => new()
    {
        UseLinearEngine = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(LinearEngineEnvironmentVariable)),
        MatchTimeout = matchTimeout ?? DefaultMatchTimeout,
    };
}
