namespace JournalPump.Core.Pipeline;

/// <summary>
/// Where one sender's records go: a file, a Kafka topic, an Elasticsearch index... The pipeline calls
/// <see cref="SendAsync"/> with batches of records in journal order, never concurrently; the sink sends
/// and reports what the peer accepted. It never retries or sleeps: the pipeline retries with backoff,
/// keeps the checkpoint behind anything not delivered, and drops only what the sink reports as rejected.
/// </summary>
public interface IJournalSink : IAsyncDisposable
{
    /// <summary>The sender's name, for logs and metrics.</summary>
    string Name { get; }

    /// <summary>
    /// Sends a batch. Report <see cref="SendResult.Delivered"/> only for records the peer accepted
    /// ("possibly delivered" is not delivered). An exception counts as <see cref="SendResult.Transient(string, TimeSpan?)"/>.
    /// The batch and its memory are valid only until the returned task completes.
    /// </summary>
    /// <param name="batch">The records, in journal order.</param>
    /// <param name="cancellationToken">Cancelled when the pump stops.</param>
    /// <returns>What happened to the batch.</returns>
    ValueTask<SendResult> SendAsync(JournalBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Makes delivered data durable where the sink can (fsync a file, flush a producer) before the pump
    /// records a checkpoint at shutdown. The default does nothing.
    /// </summary>
    /// <param name="cancellationToken">Cancelled when the grace period ends.</param>
    /// <returns>A task that completes when flushed.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
