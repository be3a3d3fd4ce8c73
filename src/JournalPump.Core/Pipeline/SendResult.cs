namespace JournalPump.Core.Pipeline;

/// <summary>What a sink reports for one batch.</summary>
public enum SendStatus
{
    /// <summary>The peer accepted every record.</summary>
    Delivered,

    /// <summary>Nothing was (certainly) accepted and the cause may pass (network, timeout, throttling, 5xx): retry the batch.</summary>
    Transient,

    /// <summary>Some records were accepted, some rejected for good, some are to be retried (<see cref="SendResult.Items"/>).</summary>
    Partial,

    /// <summary>The peer rejects the whole batch deterministically (each record is invalid for it): drop it, with a log line and a metric.</summary>
    Rejected,
}

/// <summary>What happened to one record of a <see cref="SendStatus.Partial"/> result.</summary>
public enum ItemStatus
{
    /// <summary>Accepted.</summary>
    Delivered,

    /// <summary>Not accepted yet; retry it.</summary>
    Retry,

    /// <summary>Rejected for good; drop it, with a log line and a metric.</summary>
    Rejected,
}

/// <summary>The outcome of <see cref="IJournalSink.SendAsync"/>.</summary>
public readonly struct SendResult
{
    private SendResult(SendStatus status, string? reason, TimeSpan? retryAfter, IReadOnlyList<ItemStatus>? items)
    {
        Status = status;
        Reason = reason;
        RetryAfter = retryAfter;
        Items = items;
    }

    /// <summary>What happened.</summary>
    public SendStatus Status { get; }

    /// <summary>Why it was not delivered: a short reason for logs and the <c>reason</c> tag of <c>journal.send_rejected</c>. Never a secret.</summary>
    public string? Reason { get; }

    /// <summary>How long the peer asked to wait before retrying (HTTP Retry-After, throttling), if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>For <see cref="SendStatus.Partial"/>: one status per record of the batch, in order.</summary>
    public IReadOnlyList<ItemStatus>? Items { get; }

    /// <summary>The peer accepted every record.</summary>
    public static SendResult Delivered { get; } = new(SendStatus.Delivered, null, null, null);

    /// <summary>Retry the whole batch later.</summary>
    /// <param name="reason">Why it failed.</param>
    /// <param name="retryAfter">How long the peer asked to wait, if it said.</param>
    /// <returns>The result.</returns>
    public static SendResult Transient(string reason, TimeSpan? retryAfter = null) => new(SendStatus.Transient, reason, retryAfter, null);

    /// <summary>The peer rejects the whole batch for good.</summary>
    /// <param name="reason">Why.</param>
    /// <returns>The result.</returns>
    public static SendResult Rejected(string reason) => new(SendStatus.Rejected, reason, null, null);

    /// <summary>A status per record.</summary>
    /// <param name="items">One status per record of the batch, in order.</param>
    /// <param name="reason">Why some were not delivered.</param>
    /// <param name="retryAfter">How long to wait before retrying the <see cref="ItemStatus.Retry"/> ones.</param>
    /// <returns>The result.</returns>
    public static SendResult Partial(IReadOnlyList<ItemStatus> items, string reason, TimeSpan? retryAfter = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new(SendStatus.Partial, reason, retryAfter, items);
    }
}
