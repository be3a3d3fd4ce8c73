using Confluent.Kafka;

namespace JournalPump.Sinks.Kafka;

/// <summary>
/// Collects the delivery reports of one batch: one slot per record, each with a cached callback, so producing a
/// record allocates no delegate. A tracker serves one batch at a time; a batch that is given up on (cancelled,
/// producer replaced) takes its tracker with it, and late reports land there unread.
/// </summary>
internal sealed class DeliveryTracker
{
    private readonly List<Slot> _slots = [];
    private ErrorCode[] _errors = [];
    private string?[] _reasons = [];
    private bool[] _local = [];
    private int _pending;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts a batch of <paramref name="count"/> records.</summary>
    public void Begin(int count)
    {
        while (_slots.Count < count)
        {
            _slots.Add(new Slot(this, _slots.Count));
        }

        if (_errors.Length < count)
        {
            _errors = new ErrorCode[Math.Max(count, _errors.Length * 2)];
            _reasons = new string?[_errors.Length];
            _local = new bool[_errors.Length];
        }

        Array.Fill(_errors, ErrorCode.NoError, 0, count);
        Array.Fill(_reasons, null, 0, count);
        Array.Fill(_local, false, 0, count);
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // One extra count, released by EndProducing, so the batch cannot complete while records are still produced.
        Volatile.Write(ref _pending, count + 1);
    }

    /// <summary>The callback for record <paramref name="index"/>.</summary>
    public Action<DeliveryReport<byte[]?, byte[]>> Callback(int index) => _slots[index].Callback;

    /// <summary>Record <paramref name="index"/> failed before it reached librdkafka's queue.</summary>
    public void FailedLocally(int index, Error error)
    {
        _local[index] = true;
        Complete(index, error);
    }

    /// <summary>Every record was handed to librdkafka (or failed locally).</summary>
    public void EndProducing() => Release();

    /// <summary>Completes when every record has its report.</summary>
    public Task Completion => _done.Task;

    /// <summary>Record <paramref name="index"/>'s outcome; valid after <see cref="Completion"/>.</summary>
    public ErrorCode Error(int index) => _errors[index];

    /// <summary>Whether record <paramref name="index"/> failed in the client, before reaching a broker.</summary>
    public bool IsLocal(int index) => _local[index];

    /// <summary>Record <paramref name="index"/>'s error text; valid after <see cref="Completion"/>.</summary>
    public string? Reason(int index) => _reasons[index];

    private void Complete(int index, Error error)
    {
        if (error.IsError)
        {
            _errors[index] = error.Code;
            _reasons[index] = error.Reason;
        }

        Release();
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _done.TrySetResult();
        }
    }

    private sealed class Slot
    {
        private readonly DeliveryTracker _owner;
        private readonly int _index;

        public Slot(DeliveryTracker owner, int index)
        {
            _owner = owner;
            _index = index;
            Callback = OnDelivered;
        }

        public Action<DeliveryReport<byte[]?, byte[]>> Callback { get; }

        private void OnDelivered(DeliveryReport<byte[]?, byte[]> report) => _owner.Complete(_index, report.Error);
    }
}
