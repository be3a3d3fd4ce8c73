namespace Systemd.Journal;

/// <summary>An entry's monotonic timestamp (<c>__MONOTONIC_TIMESTAMP</c>) and the boot it is relative to.</summary>
/// <param name="Microseconds">Microseconds since the boot started (CLOCK_MONOTONIC).</param>
/// <param name="BootId">The boot (<c>_BOOT_ID</c>); <see cref="Guid.ToString(string)"/> with <c>"N"</c> gives the journal's spelling.</param>
public readonly record struct JournalMonotonicTimestamp(ulong Microseconds, Guid BootId);

/// <summary>A range of timestamps, both ends included, in microseconds.</summary>
/// <param name="FromMicroseconds">The first timestamp.</param>
/// <param name="ToMicroseconds">The last timestamp.</param>
public readonly record struct JournalTimeRange(ulong FromMicroseconds, ulong ToMicroseconds)
{
    /// <summary>The first timestamp as a wall-clock time (meaningful for realtime ranges).</summary>
    public DateTimeOffset From => Journal.FromMicroseconds(FromMicroseconds);

    /// <summary>The last timestamp as a wall-clock time (meaningful for realtime ranges).</summary>
    public DateTimeOffset To => Journal.FromMicroseconds(ToMicroseconds);
}
