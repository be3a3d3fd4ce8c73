using Confluent.Kafka;

namespace JournalPump.Sinks.Kafka.Tests.Fixture;

/// <summary>
/// A plain Confluent.Kafka producer (byte[] keys and values) that records the errors and log lines
/// librdkafka reports, so a test can wait for one without sleeping: each new one re-checks the waiters.
/// </summary>
internal sealed class ProducerProbe : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<Error> _errors = [];
    private readonly List<LogMessage> _logs = [];
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ProducerProbe(IReadOnlyDictionary<string, string> settings, Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig(new Dictionary<string, string>(settings))
        {
            Acks = Acks.All,
            MessageTimeoutMs = 0, // never give up on a message: a test waits for an outcome, never for a clock
        };
        configure?.Invoke(config);
        Producer = new ProducerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) => Add(error))
            .SetLogHandler((_, log) => Add(log))
            .Build();
    }

    public IProducer<byte[]?, byte[]?> Producer { get; }

    /// <summary>Number of errors reported so far; pass it as <c>from</c> to wait only for later ones.</summary>
    public int ErrorCount
    {
        get
        {
            lock (_lock)
            {
                return _errors.Count;
            }
        }
    }

    public IReadOnlyList<Error> Errors
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors];
            }
        }
    }

    public Task<DeliveryResult<byte[]?, byte[]?>> ProduceAsync(string topic, byte[]? value, byte[]? key = null, Headers? headers = null) =>
        Producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = key, Value = value, Headers = headers });

    /// <summary>Waits for an error (reported after the first <paramref name="from"/> ones) matching <paramref name="predicate"/>.</summary>
    public async Task<Error> WaitForErrorAsync(Func<Error, bool> predicate, CancellationToken cancellationToken, int from = 0)
    {
        while (true)
        {
            Task next;
            Error? match;
            lock (_lock)
            {
                next = _next.Task;
                match = _errors.Skip(from).FirstOrDefault(predicate);
            }

            if (match is not null)
            {
                return match;
            }

            await next.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Number of log lines so far; pass it as <c>from</c> to wait only for later ones.</summary>
    public int LogCount
    {
        get
        {
            lock (_lock)
            {
                return _logs.Count;
            }
        }
    }

    /// <summary>Waits for a log line (logged after the first <paramref name="from"/> ones) matching <paramref name="predicate"/>.</summary>
    public async Task<LogMessage> WaitForLogAsync(Func<LogMessage, bool> predicate, CancellationToken cancellationToken, int from = 0)
    {
        while (true)
        {
            Task next;
            LogMessage? match;
            lock (_lock)
            {
                next = _next.Task;
                match = _logs.Skip(from).FirstOrDefault(predicate);
            }

            if (match is not null)
            {
                return match;
            }

            await next.WaitAsync(cancellationToken);
        }
    }

    private void Add(Error error) => Pulse(() => _errors.Add(error));

    private void Add(LogMessage log) => Pulse(() => _logs.Add(log));

    private void Pulse(Action add)
    {
        TaskCompletionSource pulse;
        lock (_lock)
        {
            add();
            pulse = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        pulse.TrySetResult();
    }

    public void Dispose() => Producer.Dispose();
}
