namespace JournalPump.Host.Tests.EndToEnd;

/// <summary>
/// Waits for a condition without sleeping: the condition is re-checked whenever something it depends on
/// may have changed — a file event in the watched directories (<see cref="FileSystemWatcher"/>), a log line
/// or the exit of the daemon, a statsd datagram. The test's <c>[CancelAfter]</c> token bounds the wait.
/// </summary>
internal static class Change
{
    /// <summary>Waits until <paramref name="condition"/> holds; fails when the daemon exits first.</summary>
    public static async Task WaitUntilAsync(
        Func<bool> condition,
        string description,
        CancellationToken cancellationToken,
        PumpProcess? process = null,
        IEnumerable<string>? directories = null,
        StatsdListener? statsd = null)
    {
        var pulse = new Pulse();
        var watchers = new List<FileSystemWatcher>();
        void OnActivity() => pulse.Set();
        void OnFile(object sender, FileSystemEventArgs e) => pulse.Set();
        void OnError(object sender, ErrorEventArgs e) => pulse.Set(); // an overflow: re-check everything
        try
        {
            foreach (var directory in directories ?? [])
            {
                var watcher = new FileSystemWatcher(directory)
                {
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                };
                watcher.Changed += OnFile;
                watcher.Created += OnFile;
                watcher.Renamed += OnFile;
                watcher.Deleted += OnFile;
                watcher.Error += OnError;
                watcher.EnableRaisingEvents = true;
                watchers.Add(watcher);
            }

            if (process is not null)
            {
                process.Activity += OnActivity;
            }

            if (statsd is not null)
            {
                statsd.Received += OnActivity;
            }

            while (true)
            {
                // Take the next pulse before checking, so a change during the check is not missed.
                var next = pulse.Next;
                if (condition())
                {
                    return;
                }

                if (process is { Exited.IsCompleted: true })
                {
                    throw new AssertionException($"journalpump exited (code {process.Exited.Result}) before: {description}; stderr:\n{process.Stderr}");
                }

                try
                {
                    await next.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    throw new AssertionException($"timed out waiting until {description}" + (process is null ? "" : "; stderr so far:\n" + process.Stderr));
                }
            }
        }
        finally
        {
            if (process is not null)
            {
                process.Activity -= OnActivity;
            }

            if (statsd is not null)
            {
                statsd.Received -= OnActivity;
            }

            watchers.ForEach(w => w.Dispose());
        }
    }

    /// <summary>A task that completes at the next <see cref="Set"/>.</summary>
    private sealed class Pulse
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Next => Volatile.Read(ref _next).Task;

        public void Set() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}

/// <summary>Counts the lines of a growing (append-only) file incrementally, reading only the new bytes.</summary>
internal sealed class LineCounter(string path)
{
    private readonly Lock _lock = new();
    private long _offset;
    private int _count;

    public string Path { get; } = path;

    /// <summary>The number of complete lines (<c>\n</c>) in the file now.</summary>
    public int Count()
    {
        lock (_lock)
        {
            if (!File.Exists(Path))
            {
                return 0;
            }

            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < _offset)
            {
                _offset = 0; // truncated: count again
                _count = 0;
            }

            stream.Position = _offset;
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                _count += buffer.AsSpan(0, n).Count((byte)'\n');
                _offset += n;
            }

            return _count;
        }
    }
}
