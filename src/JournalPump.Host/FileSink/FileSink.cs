using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using JournalPump.Core.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

// The namespace is not JournalPump.Host.FileSink: a namespace named like its type makes "FileSink" resolve
// to the namespace everywhere under JournalPump.Host.
namespace JournalPump.Host.FileOutput;

/// <summary>
/// <c>output_type: file</c> (spec 6.6): appends each record and a <c>\n</c> (JSON Lines), byte for byte.
/// A batch is acknowledged only after it was written to the file (unbuffered: no byte waits in user space);
/// <see cref="FlushAsync"/> fsyncs. A failed write is <see cref="SendResult.Transient"/>, and the partial batch
/// is cut off again so the retry does not leave half a line. The file survives log rotation: before each batch
/// the path is compared with the open file (device and inode) and the file's size with what was written;
/// when the path is gone, names another file (logrotate <c>create</c>), or the file shrank (<c>copytruncate</c>),
/// or <see cref="Reopen"/> was called (SIGHUP), the path is opened again.
/// </summary>
internal sealed class FileSink : IJournalSink
{
    private const int Enoent = 2;

    private readonly FileSinkOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FileStream? _stream;
    private FileIdentity _opened;
    private long _writtenEnd;
    private bool _identityUnavailable;
    private int _reopenRequested;
    private bool _disposed;

    /// <summary>Creates the sink. Nothing is opened before the first batch.</summary>
    /// <param name="name">The sender's name.</param>
    /// <param name="options">The path and sync policy.</param>
    /// <param name="logger">The logger.</param>
    public FileSink(string name, FileSinkOptions options, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Path);
        ArgumentNullException.ThrowIfNull(logger);
        Name = name;
        _options = options;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The output path.</summary>
    public string Path => _options.Path;

    /// <inheritdoc />
    public async ValueTask<SendResult> SendAsync(JournalBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CloseIfRotated();
            if (_stream is null && !TryOpen(out string? openFailure))
            {
                return SendResult.Transient(openFailure);
            }

            var stream = _stream!;
            long start = SizeBeforeWrite(stream.SafeFileHandle);
            try
            {
                await batch.WriteLinesAsync(stream, cancellationToken).ConfigureAwait(false);
                if (_options.SyncEveryBatch)
                {
                    stream.Flush(flushToDisk: true);
                }
            }
            catch (OperationCanceledException)
            {
                CutPartialBatch(stream.SafeFileHandle, start);
                throw;
            }
            catch (IOException ex)
            {
                HostLog.FileSinkWriteFailed(_logger, Name, Path, ex.Message);
                CutPartialBatch(stream.SafeFileHandle, start);
                Close();
                return SendResult.Transient($"writing {Path} failed: {ex.Message}");
            }

            if (start >= 0)
            {
                _writtenEnd = start + batch.ByteCount + batch.Count;
            }

            return SendResult.Delivered;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// fsyncs the file, so that every acknowledged batch survives a power loss. The daemon calls it before it
    /// writes the state file and at shutdown; safe to call while a batch is being sent (it waits for it).
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for a send in progress.</param>
    /// <returns>A task that completes when the data is on disk.</returns>
    /// <exception cref="IOException">fsync failed: acknowledged data may not be durable.</exception>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        // Only taking the handle waits for a send in progress; the fsync itself runs beside the sends, so that
        // a checkpoint does not hold up delivery. Everything acknowledged before this call was written to this
        // handle (a rotated-away file is fsynced when it is closed).
        SafeFileHandle? handle;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            handle = _stream?.SafeFileHandle;
        }
        finally
        {
            _gate.Release();
        }

        if (handle is null || handle.IsClosed)
        {
            return;
        }

        int result;
        try
        {
            result = Interop.Libc.fsync(handle);
        }
        catch (ObjectDisposedException)
        {
            return; // closed meanwhile: a file is fsynced when it is closed
        }

        if (result != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is 22 or 30)
            {
                return; // EINVAL, EROFS: a device or pipe that cannot be synced
            }

            string reason = Marshal.GetPInvokeErrorMessage(errno);
            HostLog.FileSinkSyncFailed(_logger, Name, Path, reason);
            throw new IOException($"fsync of {Path} failed: {reason}");
        }
    }

    /// <summary>
    /// Closes the file and opens the path again before the next batch (SIGHUP after log rotation). Thread-safe,
    /// returns at once; the file is fsynced before it is closed.
    /// </summary>
    public void Reopen() => Volatile.Write(ref _reopenRequested, 1);

    /// <summary>fsyncs and closes the file.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                Sync();
            }
            catch (IOException)
            {
                // Logged by Sync; closing anyway.
            }

            Close();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Sync()
    {
        if (_stream is null)
        {
            return;
        }

        try
        {
            // fsync(2); the runtime ignores EINVAL/EROFS from devices and pipes that cannot be synced.
            _stream.Flush(flushToDisk: true);
        }
        catch (IOException ex)
        {
            HostLog.FileSinkSyncFailed(_logger, Name, Path, ex.Message);
            throw;
        }
    }

    private void CloseIfRotated()
    {
        if (_stream is null)
        {
            Volatile.Write(ref _reopenRequested, 0);
            return;
        }

        string? reason = Interlocked.Exchange(ref _reopenRequested, 0) == 1 ? "reopen requested (SIGHUP)" : RotationReason();
        if (reason is null)
        {
            return;
        }

        HostLog.FileSinkReopening(_logger, Name, Path, reason);
        try
        {
            // What was written to the old file is acknowledged: make it durable before letting go of it.
            _stream.Flush(flushToDisk: true);
        }
        catch (IOException ex)
        {
            HostLog.FileSinkSyncFailed(_logger, Name, Path, ex.Message);
        }

        Close();
    }

    /// <summary>Why the open file is no longer the one to write to, or null.</summary>
    internal string? RotationReason()
    {
        if (_stream is null || !_opened.IsRegularFile || _identityUnavailable)
        {
            return null;
        }

        FileIdentity current;
        try
        {
            if (!FileIdentity.TryGet(Path, out var atPath, out int errno))
            {
                // ENOENT: removed or renamed away. Any other error (EACCES on a directory...): keep writing where we are.
                return errno == Enoent ? "the path no longer exists (removed or renamed)" : null;
            }

            if (!atPath.IsSameFile(_opened))
            {
                return "the path names another file (rotated)";
            }

            if (!FileIdentity.TryGet(_stream.SafeFileHandle, out current, out _))
            {
                return null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // statx needs glibc 2.28 or musl 1.2.5; without it rotation is handled by SIGHUP only.
            _identityUnavailable = true;
            HostLog.FileSinkRotationDetectionUnavailable(_logger, Name, Path);
            return null;
        }

        return current.Size < _writtenEnd ? "the file is shorter than what was written (truncated)" : null;
    }

    private long SizeBeforeWrite(SafeFileHandle handle)
    {
        if (!_opened.IsRegularFile || _identityUnavailable)
        {
            return -1;
        }

        try
        {
            return FileIdentity.TryGet(handle, out var current, out _) ? current.Size : -1;
        }
        catch (EntryPointNotFoundException)
        {
            return -1;
        }
    }

    private void CutPartialBatch(SafeFileHandle handle, long start)
    {
        if (start < 0)
        {
            return;
        }

        try
        {
            if (RandomAccess.GetLength(handle) > start)
            {
                // Take back the part of the batch that was written, so that the retry does not leave half a line.
                RandomAccess.SetLength(handle, start);
            }
        }
        catch (IOException ex)
        {
            HostLog.FileSinkPartialBatchKept(_logger, Name, Path, ex.Message);
        }
    }

    private bool TryOpen([NotNullWhen(false)] out string? failure)
    {
        FileStream? stream = null;
        try
        {
            // Unbuffered (BufferSize 0): a batch is in the file when WriteLinesAsync returns, and a failed write
            // leaves nothing behind in user space to be written later.
            var streamOptions = new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite, // read: to find an unfinished last line at open
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = 0,
            };
            if (!OperatingSystem.IsWindows())
            {
                streamOptions.UnixCreateMode = _options.CreateMode;
            }

            stream = new FileStream(Path, streamOptions);
            var handle = stream.SafeFileHandle;
            SetAppend(handle);
            CutUnfinishedLine(handle);
            _opened = default;
            _writtenEnd = 0;
            try
            {
                if (!_identityUnavailable && FileIdentity.TryGet(handle, out var identity, out _))
                {
                    _opened = identity;
                    _writtenEnd = identity.Size;
                }
            }
            catch (EntryPointNotFoundException)
            {
                _identityUnavailable = true;
                HostLog.FileSinkRotationDetectionUnavailable(_logger, Name, Path);
            }

            _stream = stream;
            stream = null;
            HostLog.FileSinkOpened(_logger, Name, Path);
            failure = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            HostLog.FileSinkOpenFailed(_logger, Name, Path, ex.Message);
            failure = $"opening {Path} failed: {ex.Message}";
            return false;
        }
        finally
        {
            stream?.Dispose();
        }
    }

    /// <summary>
    /// A file that does not end in a newline ends in part of a batch written when the process was killed in
    /// mid-write: that batch was never acknowledged and is sent again, so the fragment is cut off, or the
    /// next record would continue it on the same line.
    /// </summary>
    private void CutUnfinishedLine(SafeFileHandle handle)
    {
        long length;
        try
        {
            length = RandomAccess.GetLength(handle);
        }
        catch (IOException)
        {
            return; // not a regular file (a device, a pipe): nothing to cut
        }

        if (length == 0)
        {
            return;
        }

        Span<byte> block = stackalloc byte[8192];
        long end = length;
        while (end > 0)
        {
            int size = (int)Math.Min(block.Length, end);
            int read = RandomAccess.Read(handle, block[..size], end - size);
            if (read != size)
            {
                return;
            }

            int newline = block[..size].LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                end = end - size + newline + 1;
                break;
            }

            end -= size;
        }

        if (end < length)
        {
            RandomAccess.SetLength(handle, end);
            HostLog.FileSinkUnfinishedLineCut(_logger, Name, Path, length - end);
        }
    }

    /// <summary>
    /// Sets O_APPEND: every write lands at the end of the file as it is then, so that nothing we write
    /// overwrites a line someone else appended, and a file truncated under us is not filled with a hole.
    /// .NET has no FileMode for it (FileMode.Append seeks once at open).
    /// </summary>
    private static void SetAppend(SafeFileHandle handle)
    {
        int flags = Interop.Libc.fcntl(handle, Interop.Libc.FGetFl, 0);
        if (flags < 0 || Interop.Libc.fcntl(handle, Interop.Libc.FSetFl, flags | Interop.Libc.OAppend) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"fcntl(O_APPEND) failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    private void Close()
    {
        try
        {
            _stream?.Dispose();
        }
        catch (IOException)
        {
            // Nothing is buffered (bufferSize 0): close(2) errors carry no data of ours.
        }

        _stream = null;
    }
}
