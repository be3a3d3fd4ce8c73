namespace JournalPump.Core.Pipeline;

/// <summary>Exponential backoff with jitter: after failure n, a uniform wait in [t, 2t) with t = min(max, initial × 2^(n−1)).</summary>
internal sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private int _failures;

    public Backoff(TimeSpan initial, TimeSpan max, Random? random = null)
    {
        _initial = initial;
        _max = max;
        _random = random ?? Random.Shared;
    }

    public int Failures => _failures;

    /// <summary>Counts a failure and returns how long to wait; at least <paramref name="retryAfter"/> when the peer asked.</summary>
    public TimeSpan NextDelay(TimeSpan? retryAfter = null)
    {
        _failures++;
        double factor = Math.Pow(2, Math.Min(_failures - 1, 62));
        double baseSeconds = Math.Min(_max.TotalSeconds, _initial.TotalSeconds * factor);
        var delay = TimeSpan.FromSeconds(baseSeconds * (1 + _random.NextDouble()));
        return retryAfter is { } after && after > delay ? after : delay;
    }

    public void Reset() => _failures = 0;
}
