using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Systemd.Journal;

public sealed partial class Journal
{
    /// <summary>
    /// Reads entries on a dedicated thread and yields them as owned snapshots; with
    /// <see cref="JournalReadOptions.Follow"/> it then waits for new entries until cancelled.
    /// </summary>
    /// <param name="open">
    /// Opens and positions the journal. It runs on the reader thread, which owns the journal from then on
    /// and closes it when the enumeration ends: for example <c>() => { var j = Journal.OpenDirectory(dir); j.SeekCursor(c); return j; }</c>.
    /// </param>
    /// <param name="options">Follow, cursor and buffering options.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The entries, in journal order.</returns>
    public static async IAsyncEnumerable<JournalEntry> ReadAllAsync(
        Func<Journal> open,
        JournalReadOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        options ??= new JournalReadOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BufferCapacity, 1, nameof(options));

        var channel = Channel.CreateBounded<JournalEntry>(new BoundedChannelOptions(options.BufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => ReadLoop(open, options, channel.Writer, exited, stop.Token))
        {
            IsBackground = true,
            Name = "Systemd.Journal reader",
        };
        thread.Start();
        try
        {
            await foreach (var entry in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return entry;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await exited.Task.ConfigureAwait(false);
        }
    }

    private static void Report(JournalReadOptions options, JournalException error)
    {
        if (options.CorruptedEntry is null)
        {
            throw error;
        }

        options.CorruptedEntry(error);
    }

    private static void ReadLoop(
        Func<Journal> open,
        JournalReadOptions options,
        ChannelWriter<JournalEntry> writer,
        TaskCompletionSource exited,
        CancellationToken cancellationToken)
    {
        try
        {
            using var journal = open();
            if (journal.OwnerThreadId != Environment.CurrentManagedThreadId)
            {
                throw new InvalidOperationException("The open delegate of ReadAllAsync must open the journal itself, on the reader thread.");
            }

            foreach (var skipped in journal.SkippedFiles)
            {
                Report(options, skipped.Error);
            }

            int dropped = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!journal.MoveNext())
                {
                    if (journal.FilesDroppedWhileReading != dropped)
                    {
                        dropped = journal.FilesDroppedWhileReading;
                        Report(options, new JournalException(ErrnoValues.EBADMSG, "sd_journal_next", "a journal file that libsystemd dropped after a read error"));
                    }

                    if (!options.Follow)
                    {
                        break;
                    }

                    // Wakes at once on new entries; the timeout only bounds how long cancellation waits.
                    journal.Wait(options.CancellationPollInterval);
                    continue;
                }

                JournalEntry entry;
                try
                {
                    entry = journal.ReadEntry(options.IncludeCursor);
                }
                catch (JournalException e) when (e.IsCorruption)
                {
                    Report(options, e);
                    continue;
                }

                while (!writer.TryWrite(entry))
                {
                    // The reader thread is ours and nothing else runs on it: blocking here is the
                    // back-pressure, and the unread entries stay in the journal.
                    if (!writer.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
                    {
                        return;
                    }
                }
            }

            writer.TryComplete();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            writer.TryComplete();
        }
#pragma warning disable CA1031 // The reader thread hands every failure to the consumer through the channel.
        catch (Exception e)
#pragma warning restore CA1031
        {
            writer.TryComplete(e);
        }
        finally
        {
            exited.TrySetResult();
        }
    }
}
