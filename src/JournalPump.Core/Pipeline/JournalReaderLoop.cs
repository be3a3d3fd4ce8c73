using JournalPump.Core.Checkpoints;
using JournalPump.Core.Formatting;
using JournalPump.Core.Metrics;
using Microsoft.Extensions.Logging;
using Systemd.Journal;

namespace JournalPump.Core.Pipeline;

/// <summary>
/// One reader's thread: it opens the journal (and alone uses it), resumes each sender after its own
/// checkpoint, converts and filters every entry once, formats a record per sender into that sender's
/// open chunk, and seals the chunks (one cursor per chunk) into the senders' bounded queues. When a queue
/// is full the thread waits: the journal is the buffer.
/// </summary>
internal sealed class JournalReaderLoop
{
    private readonly JournalReaderOptions _options;
    private readonly Slot[] _slots;
    private readonly IPumpMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<MetricTag> _readerTags;
    private readonly Lock _stateLock = new();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string? _readCursor;
    private long _totalLines;
    private long _totalBytes;
    private long _corrupted;
    private long _lost;
    private DateTimeOffset? _lastRead;
    private int _entriesInChunk;

    public JournalReaderLoop(JournalReaderOptions options, IReadOnlyList<SinkRunner> runners, IPumpMetrics metrics, ILogger logger, TimeProvider time)
    {
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _time = time;
        _readerTags = [.. options.Tags, new MetricTag("reader", options.Name)];
        _slots = new Slot[runners.Count];
        for (int i = 0; i < runners.Count; i++)
        {
            var sender = options.Senders[i];
            _slots[i] = new Slot(runners[i], new JournalJsonFormatter(sender.Formatter), sender.Accept, sender.ResumeCursor);
        }
    }

    public string Name => _options.Name;

    public IReadOnlyList<MetricTag> Tags => _readerTags;

    public IEntryFilter? EntryFilter => _options.EntryFilter;

    /// <summary>Completes when the journal is open and positioned; faults when opening failed.</summary>
    public Task Opened => _opened.Task;

    /// <summary>Completes when the thread ends; faults when reading failed.</summary>
    public Task Completion => _completed.Task;

    public void Start(CancellationToken cancellationToken)
    {
        var thread = new Thread(() => Run(cancellationToken))
        {
            IsBackground = true,
            Name = "journal reader " + _options.Name,
        };
        thread.Start();
    }

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
                LastRead = _lastRead,
                SearchHits = _options.EntryFilter?.GetSearchHits() ?? new Dictionary<string, long>(),
                Senders = [.. _slots.Select(s => s.Runner.Snapshot())],
            };
        }
    }

    private void Run(CancellationToken cancellationToken)
    {
        Journal? journal = null;
        using var record = new JournalRecord();
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
            ReadLoop(journal, record, cancellationToken);
            SealAll(journal, cancellationToken);
            _completed.TrySetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _opened.TrySetCanceled(cancellationToken);
            _completed.TrySetResult();
        }
#pragma warning disable CA1031 // The reader thread reports every failure through its Completion task.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.ReaderFailed(_logger, e, _options.Name);
            _opened.TrySetException(e);
            _completed.TrySetException(e);
        }
        finally
        {
            foreach (var slot in _slots)
            {
                slot.Runner.Queue.Complete();
            }

            journal?.Dispose();
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

    private void ReadLoop(Journal journal, JournalRecord record, CancellationToken cancellationToken)
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

                SealAll(journal, cancellationToken);
                if (_options.StopAtEnd)
                {
                    return;
                }

                // New entries wake the wait at once; the timeout only bounds how long a stop waits.
                journal.Wait(TimeSpan.FromMilliseconds(250));
                continue;
            }

            ProcessEntry(journal, record);
            if (_entriesInChunk >= _options.ChunkEntries || ChunkBytesReached())
            {
                SealAll(journal, cancellationToken);
            }
        }
    }

    private void ProcessEntry(Journal journal, JournalRecord record)
    {
        _entriesInChunk++;
        lock (_stateLock)
        {
            _lastRead = _time.GetUtcNow();
        }

        bool anyWaiting = false;
        foreach (var slot in _slots)
        {
            if (!slot.Active)
            {
                anyWaiting = true;
            }
        }

        if (anyWaiting)
        {
            CatchUp(journal);
        }

        try
        {
            record.Load(journal);
        }
        catch (JournalException e) when (e.IsCorruption)
        {
            Corrupted(e);
            return;
        }

        if (_options.EntryFilter is { } filter && !filter.Accept(record))
        {
            return;
        }

        int largest = -1;
        bool oversized = false;
        foreach (var slot in _slots)
        {
            if (!slot.Active || slot.Skip || (slot.Accept is { } accept && !accept(record)))
            {
                slot.Skip = false;
                continue;
            }

            slot.Chunk.BeginRecord();
            var result = slot.Formatter.Format(record, slot.Chunk);
            slot.Chunk.EndRecord();
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

    private bool ChunkBytesReached()
    {
        foreach (var slot in _slots)
        {
            if (slot.Chunk.BufferedBytes >= _options.ChunkBytes)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Seals every sender's open chunk with the cursor of the last entry read and queues it.</summary>
    private void SealAll(Journal journal, CancellationToken cancellationToken)
    {
        if (_entriesInChunk == 0)
        {
            return;
        }

        string cursor = journal.GetCursor();
        foreach (var slot in _slots)
        {
            var chunk = slot.Chunk;
            if (!slot.Active)
            {
                // Still before this sender's checkpoint: nothing for it, and its checkpoint must not move back.
                chunk.Release();
                slot.Chunk = new RecordChunk();
                continue;
            }

            chunk.Cursor = cursor;
            chunk.Entries = _entriesInChunk;
            slot.Runner.Queue.WaitForRoom(cancellationToken);
            slot.Runner.OnQueued(chunk);
            slot.Runner.Queue.Enqueue(chunk);
            slot.Chunk = new RecordChunk();
        }

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
