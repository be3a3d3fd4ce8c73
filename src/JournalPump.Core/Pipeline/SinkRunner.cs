using JournalPump.Core.Metrics;
using Microsoft.Extensions.Logging;

namespace JournalPump.Core.Pipeline;

/// <summary>
/// Drives one sender: takes chunks from its queue in order, cuts them into batches, sends each batch
/// until the sink accepts or rejects every record (retrying transient failures forever with backoff),
/// and only then moves the sender's checkpoint to the cursor of the last chunk it finished.
/// </summary>
internal sealed class SinkRunner
{
    private const int MaxErrors = 8;

    private readonly IJournalSink _sink;
    private readonly SenderQueue _queue;
    private readonly DeliveryOptions _options;
    private readonly IPumpMetrics _metrics;
    private readonly IReadOnlyList<MetricTag> _tags;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Backoff _backoff;
    private readonly Lock _stateLock = new();
    private readonly JournalBatch _batch = new();
    private readonly List<(RecordChunk Chunk, int End)> _parts = [];
    private readonly List<string> _errors = [];

    private RecordChunk? _current;
    private int _currentNext;
    private string? _sentCursor;
    private long _sentCount;
    private long _sentBytes;
    private long _rejectedCount;
    private long _entryNum;
    private long _totalSize;
    private string? _bufferCursor;
    private bool _connected = true;
    private bool _running;
    private long _statusChanged;
    private DateTimeOffset? _lastSent;

    public SinkRunner(
        string readerName,
        string type,
        IJournalSink sink,
        SenderQueue queue,
        DeliveryOptions options,
        IPumpMetrics metrics,
        IReadOnlyList<MetricTag> senderTags,
        ILogger logger,
        TimeProvider time,
        string? initialCursor)
    {
        ReaderName = readerName;
        Type = type;
        _sink = sink;
        _queue = queue;
        _options = options;
        _metrics = metrics;
        _tags = senderTags;
        _logger = logger;
        _time = time;
        _backoff = new Backoff(options.InitialRetryDelay, options.MaxRetryDelay);
        _sentCursor = initialCursor;
        _statusChanged = time.GetTimestamp();
    }

    public string ReaderName { get; }

    public string Name => _sink.Name;

    public string Type { get; }

    public IJournalSink Sink => _sink;

    public SenderQueue Queue => _queue;

    public IReadOnlyList<MetricTag> Tags => _tags;

    /// <summary>Called on the reader thread when it queues a chunk.</summary>
    public void OnQueued(RecordChunk chunk)
    {
        lock (_stateLock)
        {
            _entryNum += chunk.Count;
            _totalSize += chunk.RecordBytes;
            _bufferCursor = chunk.Cursor ?? _bufferCursor;
        }
    }

    /// <summary>Sends until the queue is completed and drained, or until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        lock (_stateLock)
        {
            _running = true;
        }

        try
        {
            while (await FillBatchAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_batch.Count > 0)
                {
                    await SendAsync(cancellationToken).ConfigureAwait(false);
                }

                Acknowledge();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A stop keeps the last status (journalpump writes the pre-stop status at SIGTERM); a crash does not.
            lock (_stateLock)
            {
                _running = false;
            }

            throw;
        }
    }

    /// <summary>Fills the batch from the queue; false when there is nothing more to send, ever.</summary>
    private async ValueTask<bool> FillBatchAsync(CancellationToken cancellationToken)
    {
        _batch.Clear();
        _parts.Clear();
        long budget = 0;
        long deadline = -1;
        while (true)
        {
            if (_current is null && !TryTakeChunk())
            {
                // Waiting for more records makes sense only when more can come: a full queue waits for this batch.
                if (_parts.Count > 0 && (_options.Linger <= TimeSpan.Zero || _queue.IsFull))
                {
                    return true;
                }

                if (_parts.Count > 0)
                {
                    deadline = deadline < 0 ? _time.GetTimestamp() + (long)(_options.Linger.TotalSeconds * _time.TimestampFrequency) : deadline;
                    var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
                    if (left <= TimeSpan.Zero || !await WaitForChunkAsync(left, cancellationToken).ConfigureAwait(false))
                    {
                        return true;
                    }

                    continue;
                }

                if (!await _queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                continue;
            }

            var chunk = _current!;
            while (_currentNext < chunk.Count)
            {
                var line = chunk.GetLine(_currentNext);
                long cost = line.Length - 1 + _options.PerRecordOverhead;
                if (_batch.Count > 0 && (budget + cost >= _options.MaxBatchBytes || _batch.Count >= _options.MaxBatchRecords))
                {
                    _parts.Add((chunk, _currentNext));
                    return true;
                }

                _batch.Add(line);
                budget += cost;
                _currentNext++;
            }

            _parts.Add((chunk, chunk.Count));
            _current = null;
        }
    }

    private bool TryTakeChunk()
    {
        if (_queue.TryDequeue(out var chunk))
        {
            _current = chunk;
            _currentNext = 0;
            return true;
        }

        return false;
    }

    private async ValueTask<bool> WaitForChunkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linger.CancelAfter(timeout);
        try
        {
            return await _queue.WaitToReadAsync(linger.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Called after a checkpoint moved (from the sender's task): the place to persist positions.</summary>
    public Action? CheckpointAdvanced { get; set; }

    /// <summary>Moves the checkpoint past every chunk whose records are all handled, and frees their room.</summary>
    private void Acknowledge()
    {
        bool advanced = false;
        foreach (var (chunk, end) in _parts)
        {
            if (end < chunk.Count)
            {
                continue; // the rest of this chunk goes in the next batch
            }

            lock (_stateLock)
            {
                advanced |= chunk.Cursor is not null && chunk.Cursor != _sentCursor;
                _sentCursor = chunk.Cursor ?? _sentCursor;
            }

            _queue.Release(chunk);
            chunk.Release();
        }

        if (advanced)
        {
            CheckpointAdvanced?.Invoke();
        }
    }

    private async ValueTask SendAsync(CancellationToken cancellationToken)
    {
        var current = _batch;
        while (true)
        {
            SendResult result;
            try
            {
                result = await _sink.SendAsync(current, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // The one boundary that must survive any sink failure: it logs, counts and retries.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.SinkThrew(_logger, e, ReaderName, Name, e.GetType().Name);
                _metrics.Increment("exception", [.. _tags, new MetricTag("app", "journalpump"), new MetricTag("where", "sender"), new MetricTag("exception", e.GetType().Name)]);
                result = SendResult.Transient(e.GetType().Name + ": " + e.Message);
            }

            switch (result.Status)
            {
                case SendStatus.Delivered:
                    Delivered(current.Count, current.ByteCount);
                    return;

                case SendStatus.Rejected:
                    Rejected(current.Count, result.Reason);
                    return;

                case SendStatus.Partial when result.Items is { } items && items.Count == current.Count:
                    var retry = new JournalBatch();
                    long deliveredBytes = 0;
                    int delivered = 0, rejected = 0;
                    for (int i = 0; i < items.Count; i++)
                    {
                        switch (items[i])
                        {
                            case ItemStatus.Delivered:
                                delivered++;
                                deliveredBytes += current.Records[i].Length;
                                break;
                            case ItemStatus.Rejected:
                                rejected++;
                                break;
                            default:
                                retry.Add(current.GetLine(i));
                                break;
                        }
                    }

                    if (delivered > 0)
                    {
                        Delivered(delivered, deliveredBytes);
                    }

                    if (rejected > 0)
                    {
                        Rejected(rejected, result.Reason);
                    }

                    if (retry.Count == 0)
                    {
                        return;
                    }

                    current = retry;
                    await FailedAsync(result.Reason ?? "partial failure", result.RetryAfter, retry.Count, cancellationToken).ConfigureAwait(false);
                    break;

                case SendStatus.Partial:
                    await FailedAsync($"sink returned {result.Items?.Count ?? 0} item statuses for {current.Count} records", null, current.Count, cancellationToken).ConfigureAwait(false);
                    break;

                default:
                    await FailedAsync(result.Reason ?? "send failed", result.RetryAfter, current.Count, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private void Delivered(int count, long bytes)
    {
        _backoff.Reset();
        lock (_stateLock)
        {
            _sentCount += count;
            _sentBytes += bytes;
            _lastSent = _time.GetUtcNow();
            SetConnected(true);
        }

        Log.BatchDelivered(_logger, ReaderName, Name, count, bytes);
    }

    private void Rejected(int count, string? reason)
    {
        string why = reason ?? "rejected";
        lock (_stateLock)
        {
            _rejectedCount += count;
            _lastSent = _time.GetUtcNow();
            SetConnected(true);
        }

        Log.RecordsRejected(_logger, ReaderName, Name, count, why);
        _metrics.Increment("journal.send_rejected", [.. _tags, new MetricTag("reason", MetricTags.SanitizeValue(why.Length > 64 ? why[..64] : why))], count);
    }

    private async ValueTask FailedAsync(string reason, TimeSpan? retryAfter, int count, CancellationToken cancellationToken)
    {
        var delay = _backoff.NextDelay(retryAfter);
        lock (_stateLock)
        {
            SetConnected(false);
            AddError(reason);
        }

        Log.SendFailed(_logger, ReaderName, Name, count, reason, _backoff.Failures, delay.TotalSeconds);
        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
    }

    private void SetConnected(bool connected)
    {
        if (connected != _connected)
        {
            _connected = connected;
            _statusChanged = _time.GetTimestamp();
            if (connected)
            {
                _errors.Clear();
            }
        }
    }

    private void AddError(string error)
    {
        string text = error.Length > 128 ? error[..128] : error;
        if (_errors.Contains(text))
        {
            return;
        }

        if (_errors.Count == MaxErrors)
        {
            _errors.RemoveAt(1); // the first error is always kept
        }

        _errors.Add(text);
    }

    public SenderState Snapshot()
    {
        lock (_stateLock)
        {
            return new SenderState
            {
                Name = Name,
                Type = Type,
                SentCursor = _sentCursor,
                SentCount = _sentCount,
                SentBytes = _sentBytes,
                RejectedCount = _rejectedCount,
                CurrentQueue = _queue.Records,
                BufferCursor = _bufferCursor,
                EntryNum = _entryNum,
                TotalSize = _totalSize,
                Status = (_running, _connected) switch
                {
                    (true, true) => SenderStatus.Connected,
                    (true, false) => SenderStatus.Disconnected,
                    (false, true) => SenderStatus.Stale,
                    _ => SenderStatus.Stopped,
                },
                Elapsed = _time.GetElapsedTime(_statusChanged).TotalSeconds,
                Errors = [.. _errors],
                LastSent = _lastSent,
            };
        }
    }
}
