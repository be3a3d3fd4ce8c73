using JournalPump.Core.Checkpoints;
using JournalPump.Core.Formatting;
using JournalPump.Core.Metrics;
using Microsoft.Extensions.Logging;
using Systemd.Journal;

namespace JournalPump.Core.Pipeline;

/// <summary>
/// One reader, on two threads. The reader thread opens the journal (and alone uses it), positions each
/// sender after its own checkpoint, and copies entries off the journal into raw chunks, one cursor per
/// chunk. The formatting thread converts and filters every entry once, formats a record per sender into
/// that sender's chunk, and queues the chunks on the senders' bounded queues. Both hand-offs are bounded:
/// when a sender's queue is full the formatting thread waits, then the reader thread: the journal is the
/// buffer.
/// </summary>
internal sealed class JournalReaderLoop : IDisposable
{
    private readonly JournalReaderOptions _options;
    private readonly Slot[] _slots;
    private readonly IPumpMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<MetricTag> _readerTags;
    private readonly Lock _stateLock = new();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _readerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _formatterDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Raw chunks between the two threads: a few, so that the reader runs ahead of formatting a little.
    private readonly System.Collections.Concurrent.BlockingCollection<RawEntryChunk> _raw = new(boundedCapacity: 4);

    private string? _readCursor;
    private long _totalLines;
    private long _totalBytes;
    private long _corrupted;
    private long _lost;
    private long _lastReadTicks = long.MinValue;
    private int _entriesInChunk;
    private RawEntryChunk _rawChunk = new();

    // With filters, a sender may get no record for the last entries of a chunk; its checkpoint is then the
    // cursor of its last record (as journalpump's), so a cursor is taken for every entry.
    private readonly bool _cursorPerEntry;

    public JournalReaderLoop(JournalReaderOptions options, IReadOnlyList<SinkRunner> runners, IPumpMetrics metrics, ILogger logger, TimeProvider time)
    {
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _readerTags = [.. options.Tags, new MetricTag("reader", options.Name)];
        if (runners.Count > 64)
        {
            throw new ArgumentException($"Reader {options.Name} has {runners.Count} senders; at most 64 are supported.", nameof(runners));
        }

        _slots = new Slot[runners.Count];
        for (int i = 0; i < runners.Count; i++)
        {
            var sender = options.Senders[i];
            _slots[i] = new Slot(runners[i], new JournalJsonFormatter(sender.Formatter), sender.Accept, sender.ResumeCursor);
        }

        _cursorPerEntry = options.EntryFilter is not null || options.Senders.Any(s => s.Accept is not null);
    }

    public string Name => _options.Name;

    public IReadOnlyList<MetricTag> Tags => _readerTags;

    public IEntryFilter? EntryFilter => _options.EntryFilter;

    /// <summary>Completes when the journal is open and positioned; faults when opening failed.</summary>
    public Task Opened => _opened.Task;

    /// <summary>Completes when both threads end; faults when reading or formatting failed.</summary>
    public Task Completion => Task.WhenAll(_readerDone.Task, _formatterDone.Task);

    public void Start(CancellationToken cancellationToken)
    {
        // The formatting thread stops the reader thread when it fails, so that neither waits for the other forever.
        var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        new Thread(() =>
        {
            Run(reading.Token);
            reading.Dispose();
        })
        { IsBackground = true, Name = "journal reader " + _options.Name }.Start();
        new Thread(() => Format(reading, cancellationToken)) { IsBackground = true, Name = "journal formatter " + _options.Name }.Start();
    }

    /// <summary>Frees the hand-off between the threads; call after <see cref="Completion"/>.</summary>
    public void Dispose() => _raw.Dispose();

    public ReaderState Snapshot()
    {
        lock (_stateLock)
        {
            return new ReaderState
            {
                Name = _options.Name,
                ReadCursor = _readCursor,
                TotalLines = _totalLines,
                TotalBytes = _totalBytes,
                CorruptedEntries = _corrupted,
                LostEntries = _lost,
                LastRead = Interlocked.Read(ref _lastReadTicks) is var ticks && ticks != long.MinValue ? new DateTimeOffset(ticks, TimeSpan.Zero) : null,
                SearchHits = _options.EntryFilter?.GetSearchHits() ?? new Dictionary<string, long>(),
                Senders = [.. _slots.Select(s => s.Runner.Snapshot())],
            };
        }
    }

    private void Run(CancellationToken cancellationToken)
    {
        Journal? journal = null;
        try
        {
            journal = OpenWithRetry(cancellationToken);
            foreach (string unit in _options.UnitsToMatch)
            {
                journal.AddMatch("_SYSTEMD_UNIT", unit);
            }

            foreach (var skipped in journal.SkippedFiles)
            {
                Log.JournalFileSkipped(_logger, _options.Name, skipped.Path, skipped.Error.Message);
            }

            Position(journal);
            _opened.TrySetResult();
            ReadLoop(journal, cancellationToken);
            Seal(journal, cancellationToken);
            _readerDone.TrySetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _opened.TrySetCanceled(cancellationToken);
            _readerDone.TrySetResult();
        }
#pragma warning disable CA1031 // The reader thread reports every failure through its Completion task.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.ReaderFailed(_logger, e, _options.Name);
            _opened.TrySetException(e);
            _readerDone.TrySetException(e);
        }
        finally
        {
            _raw.CompleteAdding();
            _rawChunk.Release();
            journal?.Dispose();
        }
    }

    /// <summary>The formatting thread: converts, filters and formats the raw chunks into the senders' queues.</summary>
    private void Format(CancellationTokenSource reading, CancellationToken cancellationToken)
    {
        using var record = new JournalRecord();
        try
        {
            foreach (var raw in _raw.GetConsumingEnumerable(cancellationToken))
            {
                try
                {
                    for (int i = 0; i < raw.Count; i++)
                    {
                        try
                        {
                            FormatEntry(raw, i, record);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            // One entry that cannot be made into a record never stops the pump.
                            AbandonRecords();
                            Log.EntryFailed(_logger, e, _options.Name);
                            _metrics.Increment("exception", [.. _options.Tags, new MetricTag("app", "journalpump"), new MetricTag("where", "mainloop"), new MetricTag("exception", e.GetType().Name)]);
                        }
                    }

                    QueueChunks(raw, cancellationToken);
                }
                finally
                {
                    raw.Release();
                }
            }

            _formatterDone.TrySetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _formatterDone.TrySetResult();
        }
#pragma warning disable CA1031 // The formatting thread reports every failure through the Completion task.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.ReaderFailed(_logger, e, _options.Name);
            _formatterDone.TrySetException(e);
            try
            {
                reading.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The reader thread has already ended.
            }
        }
        finally
        {
            foreach (var slot in _slots)
            {
                slot.Runner.Queue.Complete();
                slot.Chunk.Release();
            }

            while (_raw.TryTake(out var left))
            {
                left.Release();
            }
        }
    }

    /// <summary>Opens the journal; a journal that does not exist yet (ENOENT) is retried every <see cref="JournalReaderOptions.OpenRetryInterval"/>.</summary>
    private Journal OpenWithRetry(CancellationToken cancellationToken)
    {
        using var retry = new AutoResetEvent(false);
        while (true)
        {
            try
            {
                return _options.Open();
            }
            catch (JournalException e) when (e.Errno == 2)
            {
                Log.JournalNotFound(_logger, _options.Name, e.Message, _options.OpenRetryInterval.TotalSeconds);
            }

            using var timer = _time.CreateTimer(static state => ((AutoResetEvent)state!).Set(), retry, _options.OpenRetryInterval, Timeout.InfiniteTimeSpan);
            WaitHandle.WaitAny([retry, cancellationToken.WaitHandle]);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private void ReadLoop(Journal journal, CancellationToken cancellationToken)
    {
        int dropped = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            bool next;
            try
            {
                next = journal.MoveNext();
            }
            catch (JournalException e) when (e.IsCorruption)
            {
                Corrupted(e);
                continue;
            }

            if (!next)
            {
                if (journal.FilesDroppedWhileReading != dropped)
                {
                    dropped = journal.FilesDroppedWhileReading;
                    Corrupted(new JournalException(74, "sd_journal_next", "a journal file that libsystemd dropped after a read error"));
                }

                Seal(journal, cancellationToken);
                if (_options.StopAtEnd)
                {
                    return;
                }

                // journald tells readers about new entries only every 250 ms, but entries are readable as soon
                // as they are written: look again after a short wait, so that following adds little latency.
                journal.Wait(_options.FollowPollInterval);
                continue;
            }

            CopyEntry(journal);
            if (_entriesInChunk >= _options.ChunkEntries || _rawChunk.Bytes >= _options.ChunkBytes)
            {
                Seal(journal, cancellationToken);
            }
        }
    }

    /// <summary>Copies the current entry's fields into the raw chunk, with the senders it is for.</summary>
    private void CopyEntry(Journal journal)
    {
        _entriesInChunk++;
        Volatile.Write(ref _lastReadTicks, _time.GetUtcNow().UtcTicks);

        ulong senders = 0;
        bool anyWaiting = false;
        for (int i = 0; i < _slots.Length; i++)
        {
            anyWaiting |= !_slots[i].Active;
        }

        if (anyWaiting)
        {
            CatchUp(journal);
        }

        for (int i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            if (slot.Active && !slot.Skip)
            {
                senders |= 1UL << i;
            }

            slot.Skip = false;
        }

        try
        {
            _rawChunk.BeginEntry(journal.GetRealtimeMicroseconds(), senders);
            if (_cursorPerEntry)
            {
                _rawChunk.CursorWritten(journal.GetCursor(_rawChunk.CursorBuffer(512)));
            }

            foreach (var field in journal.EnumerateFields())
            {
                _rawChunk.AddField(field.Data, field.Name.Length);
            }

            _rawChunk.EndEntry();
        }
        catch (JournalException e) when (e.IsCorruption)
        {
            _rawChunk.AbandonEntry();
            Corrupted(e);
        }
    }

    /// <summary>On the formatting thread: one entry through the filters and every sender's formatter.</summary>
    private void FormatEntry(RawEntryChunk raw, int entry, JournalRecord record)
    {
        record.Clear();
        for (int f = 0, n = raw.FieldCount(entry); f < n; f++)
        {
            raw.GetField(entry, f, out var name, out var value);
            record.AddField(name, value);
        }

        record.Complete(raw.Realtime(entry));
        if (_options.EntryFilter is { } filter && !filter.Accept(record))
        {
            return;
        }

        ulong senders = raw.Senders(entry);
        int largest = -1;
        bool oversized = false;
        for (int i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            if ((senders & (1UL << i)) == 0 || (slot.Accept is { } accept && !accept(record)))
            {
                continue;
            }

            slot.Chunk.BeginRecord();
            var result = slot.Formatter.Format(record, slot.Chunk);
            slot.Chunk.EndRecord();
            slot.LastRecordEntry = entry;
            largest = Math.Max(largest, result.BytesWritten);
            oversized |= result.IsOversized;
        }

        if (oversized)
        {
            _metrics.Increment("journal.read_error", [.. _options.Tags, new MetricTag("error", "too_long"), new MetricTag("reader", _options.Name)]);
            Log.EntryTooLarge(_logger, _options.Name, JournalJsonFormatter.MaxRecordLength);
        }

        if (largest >= 0)
        {
            lock (_stateLock)
            {
                _totalLines++;
                _totalBytes += largest;
            }
        }
    }

    private void AbandonRecords()
    {
        foreach (var slot in _slots)
        {
            slot.Chunk.AbandonRecord();
        }
    }

    /// <summary>On the formatting thread: queues each sender's chunk with the raw chunk's cursor.</summary>
    private void QueueChunks(RawEntryChunk raw, CancellationToken cancellationToken)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            var chunk = slot.Chunk;
            slot.Chunk = new RecordChunk();
            if ((raw.ActiveSenders & (1UL << i)) == 0)
            {
                slot.LastRecordEntry = -1;
                // Still before this sender's checkpoint: nothing for it, and its checkpoint must not move back.
                chunk.Release();
                continue;
            }

            // Without filters every entry makes a record, and the last entry read is the last record.
            chunk.Cursor = !_cursorPerEntry ? raw.Cursor : slot.LastRecordEntry >= 0 ? raw.EntryCursor(slot.LastRecordEntry) : null;
            slot.LastRecordEntry = -1;
            slot.Runner.Queue.WaitForRoom(cancellationToken);
            slot.Runner.OnQueued(chunk);
            slot.Runner.Queue.Enqueue(chunk);
        }
    }

    /// <summary>Activates each waiting sender once the reader passes its start position.</summary>
    private void CatchUp(Journal journal)
    {
        ulong? realtime = null;
        foreach (var slot in _slots)
        {
            if (slot.Active)
            {
                continue;
            }

            if (journal.TestCursor(slot.StartCursor!))
            {
                slot.Active = true;
                slot.Skip = !slot.StartInclusive;
                continue;
            }

            realtime ??= journal.GetRealtimeMicroseconds();
            if (realtime > slot.StartRealtime)
            {
                // The start entry is not in the journal any more: this is the first entry after it.
                slot.Active = true;
                Log.ResumeCursorMissing(_logger, _options.Name, slot.Runner.Name);
                _metrics.Increment("journal.resume_cursor_missing", [.. _readerTags, new MetricTag("sender", slot.Runner.Name)]);
            }
        }
    }

    /// <summary>Seals the raw chunk with the cursor of the last entry read and hands it to the formatting thread.</summary>
    private void Seal(Journal journal, CancellationToken cancellationToken)
    {
        if (_entriesInChunk == 0)
        {
            return;
        }

        string cursor = journal.GetCursor();
        ulong active = 0;
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Active)
            {
                active |= 1UL << i;
            }
        }

        var raw = _rawChunk;
        raw.Cursor = cursor;
        raw.ActiveSenders = active;
        _raw.Add(raw, cancellationToken);
        _rawChunk = new RawEntryChunk();
        _entriesInChunk = 0;
        lock (_stateLock)
        {
            _readCursor = cursor;
        }
    }

    private void Corrupted(JournalException e)
    {
        lock (_stateLock)
        {
            _corrupted++;
        }

        Log.CorruptedEntry(_logger, _options.Name, e.Message);
        _metrics.Increment("journal.corrupted_log_entry", _readerTags);
    }

    /// <summary>Works out where each sender starts and seeks the journal to the oldest of them.</summary>
    private void Position(Journal journal)
    {
        (string Cursor, bool Inclusive)? initial = null;
        bool initialResolved = false;
        bool anyHead = false;
        foreach (var slot in _slots)
        {
            if (slot.ResumeCursor is { } resume)
            {
                if (CursorPosition.TryParse(resume, out var position))
                {
                    slot.SetStart(resume, inclusive: false, position);
                    continue;
                }

                Log.ResumeCursorMalformed(_logger, _options.Name, slot.Runner.Name);
                _metrics.Increment("exception", [new MetricTag("where", "resume"), new MetricTag("exception", "MalformedCursor")]);
            }

            if (!initialResolved)
            {
                initial = ResolveInitialPosition(journal);
                initialResolved = true;
            }

            if (initial is { } start && CursorPosition.TryParse(start.Cursor, out var p))
            {
                slot.SetStart(start.Cursor, start.Inclusive, p);
            }
            else
            {
                slot.Active = true;
                anyHead = true;
            }
        }

        if (_slots.Length == 0)
        {
            initial = ResolveInitialPosition(journal);
            if (initial is null)
            {
                journal.SeekHead();
            }
            else
            {
                SeekTo(journal, initial.Value.Cursor, initial.Value.Inclusive, sender: null);
            }

            return;
        }

        if (anyHead)
        {
            journal.SeekHead();
            return;
        }

        var oldest = _slots.MinBy(s => s.StartPosition, Comparer<CursorPosition>.Create(CursorPosition.Compare))!;
        SeekTo(journal, oldest.StartCursor!, oldest.StartInclusive, oldest);
    }

    /// <summary>Seeks to a start cursor; if its entry is gone, logs and counts what was lost.</summary>
    private void SeekTo(Journal journal, string cursor, bool inclusive, Slot? sender)
    {
        journal.SeekCursor(cursor);
        if (!journal.MoveNext())
        {
            // Empty journal (or nothing at or after the cursor): the next entry will be read.
            return;
        }

        if (journal.TestCursor(cursor))
        {
            if (!inclusive)
            {
                if (sender is not null)
                {
                    foreach (var slot in _slots)
                    {
                        if (!slot.Active && slot.StartCursor == cursor)
                        {
                            slot.Active = true;
                        }
                    }
                }

                return; // stepped over the already delivered entry
            }

            journal.SeekCursor(cursor); // the next read returns this entry again
            return;
        }

        // The cursor's entry is gone (vacuumed, rotated away): we stand on the oldest entry after it.
        string current = journal.GetCursor();
        long lost = CursorPosition.TryParse(current, out var now) && CursorPosition.TryParse(cursor, out var then)
            && now.SeqnumId == then.SeqnumId && now.Seqnum > then.Seqnum + 1
            ? (long)(now.Seqnum - then.Seqnum - 1)
            : -1;
        lock (_stateLock)
        {
            _lost += Math.Max(lost, 0);
        }

        Log.ResumeCursorGone(_logger, _options.Name, lost);
        _metrics.Increment("journal.resume_cursor_missing", _readerTags);
        foreach (var slot in _slots)
        {
            if (!slot.Active && slot.StartCursor == cursor)
            {
                slot.Active = true;
            }
        }

        journal.SeekCursor(cursor); // the next read returns the oldest entry after it again
    }

    /// <summary>The initial position as a start cursor, or null for the head.</summary>
    private (string Cursor, bool Inclusive)? ResolveInitialPosition(Journal journal)
    {
        switch (_options.InitialPosition.Kind)
        {
            case InitialPositionKind.Tail:
                journal.SeekTail();
                return journal.MovePrevious() ? (journal.GetCursor(), false) : null;

            case InitialPositionKind.BootSeconds:
                journal.SeekMonotonic(Journal.CurrentBootId(), (ulong)Math.Max(0, _options.InitialPosition.BootSeconds) * 1_000_000UL);
                if (journal.MoveNext())
                {
                    return (journal.GetCursor(), true);
                }

                journal.SeekTail();
                return journal.MovePrevious() ? (journal.GetCursor(), false) : null;

            default:
                return null;
        }
    }

    private sealed class Slot
    {
        public Slot(SinkRunner runner, JournalJsonFormatter formatter, Func<JournalRecord, bool>? accept, string? resumeCursor)
        {
            Runner = runner;
            Formatter = formatter;
            Accept = accept;
            ResumeCursor = resumeCursor;
            Chunk = new RecordChunk();
        }

        public SinkRunner Runner { get; }

        public JournalJsonFormatter Formatter { get; }

        public Func<JournalRecord, bool>? Accept { get; }

        public string? ResumeCursor { get; }

        public RecordChunk Chunk { get; set; }

        /// <summary>On the formatting thread: the entry of the current raw chunk that made this sender's last record, or -1.</summary>
        public int LastRecordEntry { get; set; } = -1;

        /// <summary>Receiving records (it has passed its start position).</summary>
        public bool Active { get; set; }

        /// <summary>The current entry is its start entry, already delivered: skip it once.</summary>
        public bool Skip { get; set; }

        public string? StartCursor { get; private set; }

        public bool StartInclusive { get; private set; }

        public ulong StartRealtime { get; private set; }

        public CursorPosition StartPosition { get; private set; }

        public void SetStart(string cursor, bool inclusive, CursorPosition position)
        {
            StartCursor = cursor;
            StartInclusive = inclusive;
            StartRealtime = position.Realtime;
            StartPosition = position;
        }
    }
}
