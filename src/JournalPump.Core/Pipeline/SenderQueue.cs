namespace JournalPump.Core.Pipeline;

/// <summary>
/// The chunks between the reader thread and one sender, bounded by records and bytes. A chunk counts
/// against the bounds from the moment it is queued until the sender acknowledges it, so data in flight
/// is bounded too. When full, the reader thread waits: nothing is dropped, unread entries stay in the
/// journal.
/// </summary>
internal sealed class SenderQueue
{
    // An object, not System.Threading.Lock: the reader thread waits on it with Monitor.Wait.
    private readonly object _lock = new();
    private readonly Queue<RecordChunk> _chunks = new();
    private readonly long _maxRecords;
    private readonly long _maxBytes;
    private TaskCompletionSource? _readerWaiting;
    private bool _completed;

    public SenderQueue(long maxRecords, long maxBytes)
    {
        _maxRecords = maxRecords <= 0 ? long.MaxValue : maxRecords;
        _maxBytes = maxBytes <= 0 ? long.MaxValue : maxBytes;
    }

    /// <summary>Records queued or in flight.</summary>
    public long Records { get; private set; }

    /// <summary>Record bytes queued or in flight.</summary>
    public long Bytes { get; private set; }

    /// <summary>Whether the queue is at one of its bounds: nothing more comes until the sender releases chunks.</summary>
    public bool IsFull
    {
        get
        {
            lock (_lock)
            {
                return Records >= _maxRecords || Bytes >= _maxBytes;
            }
        }
    }

    /// <summary>Blocks the calling (reader) thread until there is room, or the token is cancelled.</summary>
    public void WaitForRoom(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(static state =>
        {
            var queue = (SenderQueue)state!;
            lock (queue._lock)
            {
                Monitor.PulseAll(queue._lock);
            }
        }, this);

        lock (_lock)
        {
            while ((Records >= _maxRecords || Bytes >= _maxBytes) && !cancellationToken.IsCancellationRequested)
            {
                Monitor.Wait(_lock);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    public void Enqueue(RecordChunk chunk)
    {
        TaskCompletionSource? wake;
        lock (_lock)
        {
            if (_completed)
            {
                throw new InvalidOperationException("The queue is completed.");
            }

            _chunks.Enqueue(chunk);
            Records += chunk.Count;
            Bytes += chunk.RecordBytes;
            wake = _readerWaiting;
            _readerWaiting = null;
        }

        wake?.TrySetResult();
    }

    /// <summary>No more chunks will come.</summary>
    public void Complete()
    {
        TaskCompletionSource? wake;
        lock (_lock)
        {
            _completed = true;
            wake = _readerWaiting;
            _readerWaiting = null;
        }

        wake?.TrySetResult();
    }

    public bool TryDequeue(out RecordChunk chunk)
    {
        lock (_lock)
        {
            return _chunks.TryDequeue(out chunk!);
        }
    }

    /// <summary>Waits until a chunk is queued; false when the queue is completed and empty.</summary>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource waiter;
            lock (_lock)
            {
                if (_chunks.Count > 0)
                {
                    return true;
                }

                if (_completed)
                {
                    return false;
                }

                _readerWaiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiter = _readerWaiting;
            }

            await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The sender is done with a chunk (delivered or dropped): free its room.</summary>
    public void Release(RecordChunk chunk)
    {
        lock (_lock)
        {
            Records -= chunk.Count;
            Bytes -= chunk.RecordBytes;
            Monitor.PulseAll(_lock);
        }
    }
}
