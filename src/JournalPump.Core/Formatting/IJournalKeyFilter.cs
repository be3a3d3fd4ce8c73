namespace JournalPump.Core.Formatting;

/// <summary>
/// Decides which keys of a sender's record are written: the hook for journalpump's per-sender field
/// filters (spec 5.7). It sees every key of the final record, <c>timestamp</c>,
/// <c>REALTIME_TIMESTAMP</c> and <c>extra_field_values</c> keys included. Implementations must be
/// thread-safe and should not allocate.
/// </summary>
public interface IJournalKeyFilter
{
    /// <summary>Whether <paramref name="key"/> is written.</summary>
    /// <param name="key">The JSON key as UTF-8 (for example <c>PID</c> or <c>timestamp</c>).</param>
    /// <returns><see langword="true"/> to keep the key.</returns>
    bool Includes(ReadOnlySpan<byte> key);
}
