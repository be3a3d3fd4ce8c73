using Confluent.Kafka;
using Confluent.Kafka.Admin;
using JournalPump.Core.Formatting;
using JournalPump.Core.Metrics;
using JournalPump.Core.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JournalPump.Sinks.Kafka;

/// <summary>
/// Sends each record as one Kafka message (journalpump's <c>output_type: kafka</c>, spec 6.2): the value is the
/// record's JSON, the key is <see cref="KafkaSinkOptions.MessageKey"/> or none, no headers, CreateTime timestamps.
/// A batch is produced as a whole and reported only when every record has its delivery report: delivered records
/// are acknowledged, records over the size limit are replaced by journalpump's error stub, records the broker
/// refuses for good are rejected, and everything else (brokers down, leader changes, timeouts, authorization, a
/// missing topic) is retried by the pipeline with backoff, the checkpoint kept behind it.
/// </summary>
/// <remarks>
/// The producer is created on the first batch, and again after a fatal error (idempotence broken by the broker).
/// With <see cref="KafkaSinkOptions.TopicCreation"/>, the topic is created each time the producer is.
/// </remarks>
public sealed class KafkaSink : IJournalSink
{
    private const int MaxReusedValueLength = 2048;

    private static readonly TimeSpan DisposeFlushTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TopicCreationTimeout = TimeSpan.FromSeconds(10);

    private readonly KafkaSinkOptions _options;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _config;
    private readonly byte[]? _key;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Message<byte[]?, byte[]> _message = new();
    private readonly byte[]?[] _valueArrays = new byte[]?[MaxReusedValueLength + 1];
    private IProducer<byte[]?, byte[]>? _producer;
    private DeliveryTracker? _tracker;
    private Error? _fatal;
    private bool _topicReady;
    private int _disposed;

    /// <summary>Creates the sink; nothing connects before the first batch.</summary>
    /// <param name="options">Where and how to send.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The name, the bootstrap servers or the topic is empty. Whether librdkafka
    /// accepts the rest is checked by <see cref="KafkaProducerSettings.Validate"/>, and again when the producer is created.</exception>
    public KafkaSink(KafkaSinkOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Name);
        ArgumentException.ThrowIfNullOrEmpty(options.BootstrapServers);
        ArgumentException.ThrowIfNullOrEmpty(options.Topic);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _config = KafkaProducerSettings.Build(options);
        _key = options.MessageKey is { } key ? (byte[])key.Clone() : null;
        _message.Key = _key;
    }

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <inheritdoc />
    public async ValueTask<SendResult> SendAsync(JournalBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            if (batch.Count == 0)
            {
                return SendResult.Delivered;
            }

            if (await PrepareAsync(cancellationToken).ConfigureAwait(false) is { } notReady)
            {
                return SendResult.Transient(notReady);
            }

            var outcome = await ProduceAsync(_producer!, batch.Records, cancellationToken).ConfigureAwait(false);
            if (outcome.Errors.Any(e => e is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic))
            {
                _topicReady = false;
            }

            if (outcome.TooLarge.Count > 0)
            {
                await SendTooLargeAsync(batch, outcome, cancellationToken).ConfigureAwait(false);
            }

            return outcome.ToResult(this);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Nothing to do: <see cref="SendAsync"/> returns only once every record of its batch has its delivery report,
    /// so no acknowledged record waits in the producer.
    /// </summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Waits for a send in progress, then flushes (at most 5 s) and closes the producer. Repeating it does nothing.</summary>
    /// <returns>A task that completes when the producer is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_producer is { } producer)
            {
                _producer = null;
                await Task.Run(() =>
                {
                    producer.Flush(DisposeFlushTimeout);
                    producer.Dispose();
                }).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    /// <summary>Creates the producer (and the topic) when needed; returns why it is not ready, or null.</summary>
    private async ValueTask<string?> PrepareAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _fatal) is { } fatal && _producer is { } broken)
        {
            KafkaLog.ReplacingProducer(_logger, Name, KafkaErrors.Describe(fatal));
            _producer = null;
            _tracker = null;
            _topicReady = false;
            Volatile.Write(ref _fatal, null);
            await Task.Run(broken.Dispose, CancellationToken.None).ConfigureAwait(false);
        }

        if (_producer is null)
        {
            try
            {
                LibrdkafkaLibrary.EnsureLoaded();
                _producer = new ProducerBuilder<byte[]?, byte[]>(_config)
                    .SetErrorHandler(OnClientError)
                    .SetLogHandler(OnLog)
                    .Build();
            }
            catch (Exception e) when (e is KafkaException or ArgumentException or InvalidOperationException or DllNotFoundException)
            {
                string reason = "cannot create the Kafka producer: " + KafkaProducerSettings.Redact(e.Message, _options);
                KafkaLog.ProducerFailed(_logger, Name, reason);
                CountError("producer_init", 1);
                return reason;
            }

            if (_logger.IsEnabled(LogLevel.Information))
            {
                string library = LibrdkafkaLibrary.LoadedFrom ?? "?";
                string properties = KafkaProducerSettings.Describe(_options);
                KafkaLog.ProducerCreated(_logger, Name, LibrdkafkaLibrary.Version, library, properties);
            }
        }

        if (!_topicReady)
        {
            // A failed creation does not hold records back: the topic may exist, or the account may lack the right
            // to create topics. If the topic is missing, deliveries fail with UnknownTopicOrPart and creation is
            // tried again before the retry.
            if (_options.TopicCreation is { } creation)
            {
                await CreateTopicAsync(_producer, creation, cancellationToken).ConfigureAwait(false);
            }

            _topicReady = true;
        }

        return null;
    }

    private async ValueTask CreateTopicAsync(IProducer<byte[]?, byte[]> producer, KafkaTopicCreation creation, CancellationToken cancellationToken)
    {
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        var topic = new TopicSpecification { Name = _options.Topic, NumPartitions = creation.Partitions, ReplicationFactor = creation.ReplicationFactor };
        try
        {
            await admin.CreateTopicsAsync([topic], new CreateTopicsOptions { RequestTimeout = TopicCreationTimeout, OperationTimeout = TopicCreationTimeout })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            KafkaLog.TopicCreated(_logger, Name, _options.Topic, creation.Partitions, creation.ReplicationFactor);
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            KafkaLog.TopicExists(_logger, Name, _options.Topic);
        }
        catch (CreateTopicsException e)
        {
            TopicCreationFailed(e.Results.Select(r => r.Error).FirstOrDefault(r => r.IsError) ?? e.Error);
        }
        catch (KafkaException e)
        {
            TopicCreationFailed(e.Error);
        }
    }

    private void TopicCreationFailed(Error error)
    {
        string reason = KafkaErrors.Describe(error);
        KafkaLog.TopicCreationFailed(_logger, Name, _options.Topic, reason);
        CountError(error.Code.ToString(), 1);
    }

    /// <summary>Produces <paramref name="records"/> and waits for every delivery report.</summary>
    private async ValueTask<BatchOutcome> ProduceAsync(IProducer<byte[]?, byte[]> producer, IReadOnlyList<ReadOnlyMemory<byte>> records, CancellationToken cancellationToken)
    {
        var tracker = _tracker ??= new DeliveryTracker();
        tracker.Begin(records.Count);
        bool abandoned = true;
        try
        {
            for (int i = 0; i < records.Count; i++)
            {
                // librdkafka copies the value before Produce returns: the message and the value array are reused.
                _message.Value = ValueArray(records[i].Span);
                try
                {
                    producer.Produce(_options.Topic, _message, tracker.Callback(i));
                }
                catch (ProduceException<byte[]?, byte[]> e)
                {
                    tracker.FailedLocally(i, e.Error);
                }
            }

            tracker.EndProducing();
            await tracker.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            abandoned = false;
        }
        finally
        {
            _message.Value = null!;
            if (abandoned)
            {
                // Reports may still arrive for this batch: they must not touch the next one's.
                _tracker = null;
            }
        }

        return BatchOutcome.From(tracker, records.Count);
    }

    /// <summary>
    /// The record in an array of exactly its length, as Confluent.Kafka takes values: one array per length up to
    /// <see cref="MaxReusedValueLength"/> (at most 2 MiB in all, usually a few hundred KiB), reused for every record
    /// of that length; longer records get an array of their own.
    /// </summary>
    private byte[] ValueArray(ReadOnlySpan<byte> record)
    {
        var array = record.Length <= MaxReusedValueLength
            ? _valueArrays[record.Length] ??= new byte[record.Length]
            : new byte[record.Length];
        record.CopyTo(array);
        return array;
    }

    /// <summary>
    /// Deals with records refused as too large. The client refuses a record over <see cref="KafkaSinkOptions.MaxMessageBytes"/>
    /// by itself; the broker refuses a whole request, which may have failed because of its size rather than this
    /// record's, so each such record is first sent alone. A record too large on its own is replaced by journalpump's
    /// error stub (<see cref="JournalJsonFormatter.CreateOversizeStub"/>); a stub that is refused too is rejected.
    /// </summary>
    private async ValueTask SendTooLargeAsync(JournalBatch batch, BatchOutcome outcome, CancellationToken cancellationToken)
    {
        foreach (int index in outcome.TooLarge)
        {
            var record = batch.Records[index];
            if (!outcome.Local[index])
            {
                var alone = await ProduceAsync(_producer!, [record], cancellationToken).ConfigureAwait(false);
                if (alone.TooLarge.Count == 0)
                {
                    outcome.Set(index, alone.Statuses[0], alone.Errors[0], alone.Reasons[0]);
                    continue;
                }
            }

            KafkaLog.RecordTooLarge(_logger, Name, record.Length, outcome.Reasons[index] ?? "too large");
            var stub = JournalJsonFormatter.CreateOversizeStub(record.Span, _options.MaxMessageBytes);
            var sent = await ProduceAsync(_producer!, [stub], cancellationToken).ConfigureAwait(false);
            var status = sent.Statuses[0] switch
            {
                ItemStatus.Delivered => ItemStatus.Delivered,
                _ when sent.TooLarge.Count > 0 => ItemStatus.Rejected,
                var other => other,
            };
            outcome.Set(index, status, sent.Errors[0], sent.Reasons[0]);
        }
    }

    private void OnClientError(IProducer<byte[]?, byte[]> producer, Error error)
    {
        if (error.IsFatal)
        {
            Volatile.Write(ref _fatal, error);
            string reason = KafkaErrors.Describe(error);
            KafkaLog.FatalError(_logger, Name, reason);
            CountError(error.Code.ToString(), 1, fatal: true);
            return;
        }

        string description = KafkaErrors.Describe(error);
        KafkaLog.ClientError(_logger, KafkaErrors.NeedsAttention(error.Code) ? LogLevel.Error : LogLevel.Warning, Name, description);
        CountError(error.Code.ToString(), 1);
    }

    private void OnLog(IProducer<byte[]?, byte[]> producer, LogMessage message)
    {
        if (message.Facility == "FAIL")
        {
            return; // the same failure also comes as an error event (OnClientError)
        }

        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical or SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice => LogLevel.Information,
            SyslogLevel.Info => LogLevel.Debug,
            _ => LogLevel.Trace,
        };
        KafkaLog.Librdkafka(_logger, level, Name, message.Facility, message.Message);
    }

    internal void CountError(string error, long count, bool fatal = false) =>
        _options.Metrics.Increment(
            "journal.kafka_error",
            [.. _options.MetricTags, new MetricTag("error", MetricTags.SanitizeValue(error)), new MetricTag("fatal", fatal ? "true" : "false")],
            count);

    internal void LogUndelivered(string reason, int count, bool attention)
    {
        if (attention)
        {
            KafkaLog.DeliveryNeedsAttention(_logger, Name, count, reason);
        }
        else
        {
            KafkaLog.DeliveryFailed(_logger, Name, count, reason);
        }
    }

    /// <summary>The per-record outcome of a batch.</summary>
    private sealed class BatchOutcome
    {
        private BatchOutcome(int count)
        {
            Statuses = new ItemStatus[count];
            Errors = new ErrorCode[count];
            Reasons = new string?[count];
            Local = new bool[count];
        }

        /// <summary>Whether record i was refused by the client itself, before reaching a broker.</summary>
        public bool[] Local { get; }

        public ItemStatus[] Statuses { get; }

        public ErrorCode[] Errors { get; }

        public string?[] Reasons { get; }

        public List<int> TooLarge { get; } = [];

        public static BatchOutcome From(DeliveryTracker tracker, int count)
        {
            var outcome = new BatchOutcome(count);
            for (int i = 0; i < count; i++)
            {
                var code = tracker.Error(i);
                outcome.Errors[i] = code;
                outcome.Reasons[i] = tracker.Reason(i);
                outcome.Local[i] = tracker.IsLocal(i);
                if (code == ErrorCode.NoError)
                {
                    outcome.Statuses[i] = ItemStatus.Delivered;
                    continue;
                }

                switch (KafkaErrors.Classify(code))
                {
                    case KafkaErrorKind.TooLarge:
                        outcome.Statuses[i] = ItemStatus.Retry; // until sent alone, or as a stub
                        outcome.TooLarge.Add(i);
                        break;
                    case KafkaErrorKind.InvalidRecord:
                        outcome.Statuses[i] = ItemStatus.Rejected;
                        break;
                    default:
                        outcome.Statuses[i] = ItemStatus.Retry;
                        break;
                }
            }

            return outcome;
        }

        public void Set(int index, ItemStatus status, ErrorCode error, string? reason)
        {
            Statuses[index] = status;
            Errors[index] = error;
            Reasons[index] = reason;
        }

        public SendResult ToResult(KafkaSink sink)
        {
            int delivered = 0, retry = 0, rejected = 0;
            var byError = new Dictionary<ErrorCode, (int Count, string? Reason)>();
            for (int i = 0; i < Statuses.Length; i++)
            {
                switch (Statuses[i])
                {
                    case ItemStatus.Delivered:
                        delivered++;
                        continue;
                    case ItemStatus.Retry:
                        retry++;
                        break;
                    default:
                        rejected++;
                        break;
                }

                byError[Errors[i]] = byError.TryGetValue(Errors[i], out var seen) ? (seen.Count + 1, seen.Reason) : (1, Reasons[i]);
            }

            if (delivered == Statuses.Length)
            {
                return SendResult.Delivered;
            }

            string reason = "";
            foreach (var (code, (count, text)) in byError)
            {
                string description = code + ": " + (text ?? new Error(code).Reason);
                sink.CountError(code.ToString(), count);
                sink.LogUndelivered(description, count, KafkaErrors.NeedsAttention(code));
                reason = reason.Length == 0 ? description : reason;
            }

            if (retry == Statuses.Length)
            {
                return SendResult.Transient(reason);
            }

            return rejected == Statuses.Length ? SendResult.Rejected(reason) : SendResult.Partial(Statuses, reason);
        }
    }
}
