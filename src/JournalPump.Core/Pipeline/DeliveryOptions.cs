namespace JournalPump.Core.Pipeline;

/// <summary>How a sender batches records and retries failed sends.</summary>
public sealed class DeliveryOptions
{
    /// <summary>journalpump's batch size limit: 1 MiB.</summary>
    public const long DefaultMaxBatchBytes = 1024 * 1024;

    /// <summary>
    /// A batch takes records while the sum of their lengths plus <see cref="PerRecordOverhead"/> each stays
    /// under this (journalpump: 1 MiB); a single larger record goes alone.
    /// </summary>
    public long MaxBatchBytes { get; init; } = DefaultMaxBatchBytes;

    /// <summary>Bytes counted per record on top of its length when sizing a batch (journalpump: 30).</summary>
    public int PerRecordOverhead { get; init; } = 30;

    /// <summary>At most this many records per batch.</summary>
    public int MaxBatchRecords { get; init; } = int.MaxValue;

    /// <summary>
    /// How long a batch that is not full waits for more records before it is sent. Zero sends as soon as
    /// records are there and the previous send finished (records pile up while a send is in flight).
    /// </summary>
    public TimeSpan Linger { get; init; } = TimeSpan.Zero;

    /// <summary>The first retry waits between this and twice this, and each further failure doubles it (journalpump: 0.5 s).</summary>
    /// <remarks>journalpump's backoff after failure n is uniform in [t, 2t) with t = min(1800 s, 0.5 s × 2^n) / 2.</remarks>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>The longest base retry delay (the wait is up to twice this; journalpump: 900 s).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(900);
}
