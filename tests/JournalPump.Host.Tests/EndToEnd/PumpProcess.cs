using System.Diagnostics;
using System.Globalization;

namespace JournalPump.Host.Tests.EndToEnd;

/// <summary>
/// The built <c>journalpump</c> daemon (<c>dotnet journalpump.dll CONFIG</c>) as a separate process: its stderr
/// log lines are collected and serve as signals ("started", "Stopped; state written"), signals are sent with
/// <c>/bin/kill</c>, SIGKILL with <see cref="Process.Kill()"/>. Nothing here sleeps: every wait is for a log line,
/// a file change (<see cref="Change"/>) or the exit, bounded by the test's <c>[CancelAfter]</c> token.
/// </summary>
internal sealed class PumpProcess : IAsyncDisposable
{
    /// <summary>The daemon's "ready" line (event 9400).</summary>
    public const string StartedLine = "started: ";

    /// <summary>The daemon's last line after a graceful stop (event 9402).</summary>
    public const string StoppedLine = "Stopped; state written";

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<(string Fragment, int From, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PumpProcess(Process process) => _process = process;

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Completes with the exit code once the process has exited and its stderr is read to the end.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Raised (from any thread) on every stderr line and at exit; <see cref="Change.WaitUntilAsync"/> listens to it.</summary>
    public event Action? Activity;

    /// <summary>All stderr lines so far, joined.</summary>
    public string Stderr
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>How many stderr lines have arrived.</summary>
    public int LineCount
    {
        get
        {
            lock (_lines)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>Starts the daemon with a config file, through <paramref name="launcher"/> (such as <c>nohup</c>) if given.</summary>
    public static PumpProcess Start(string configPath, string? launcher = null)
    {
        var start = new ProcessStartInfo(launcher ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (launcher is not null)
        {
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(HostBinary.Path);
        start.ArgumentList.Add(configPath);

        // Terminal log format on stderr, and no sd_notify or watchdog from the test runner's surroundings.
        start.Environment.Remove("JOURNAL_STREAM");
        start.Environment.Remove("NOTIFY_SOCKET");
        start.Environment.Remove("WATCHDOG_USEC");
        start.Environment.Remove("WATCHDOG_PID");
        start.Environment.Remove("USE_RE2");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var pump = new PumpProcess(process);
        process.ErrorDataReceived += (_, e) => pump.OnLine(e.Data);
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) => pump.OnExited();
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return pump;
    }

    /// <summary>Waits for the first stderr line at index <paramref name="fromLine"/> or later that contains <paramref name="fragment"/>; fails if the process exits first.</summary>
    public async Task<string> WaitForLogAsync(string fragment, CancellationToken cancellationToken, int fromLine = 0)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            for (int i = fromLine; i < _lines.Count; i++)
            {
                if (_lines[i].Contains(fragment, StringComparison.Ordinal))
                {
                    return _lines[i];
                }
            }

            if (_stderrClosed.Task.IsCompleted)
            {
                throw new AssertionException($"journalpump exited without logging \"{fragment}\"; stderr:\n{string.Join('\n', _lines)}");
            }

            _waiters.Add((fragment, fromLine, found));
        }

        try
        {
            return await found.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new AssertionException($"timed out waiting for the log line \"{fragment}\"; stderr so far:\n{Stderr}");
        }
    }

    /// <summary>Waits for the "started" line.</summary>
    public Task<string> WaitUntilStartedAsync(CancellationToken cancellationToken) => WaitForLogAsync(StartedLine, cancellationToken);

    /// <summary>Sends a signal by name (TERM, HUP, INT) with <c>/bin/kill</c>.</summary>
    public void Signal(string name)
    {
        var kill = new ProcessStartInfo("/bin/kill") { UseShellExecute = false, RedirectStandardError = true };
        kill.ArgumentList.Add("-" + name);
        kill.ArgumentList.Add(Id.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(kill)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill -{name} {Id} failed: {error}");
        }
    }

    /// <summary>SIGKILL: no chance to write state or flush anything.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

    /// <summary>Waits for the exit and returns the exit code; on timeout the failure carries stderr.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _exited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new AssertionException($"journalpump did not exit; stderr so far:\n{Stderr}");
        }
    }

    /// <summary>SIGTERM, then waits for the exit and returns the exit code.</summary>
    public async Task<int> StopAsync(CancellationToken cancellationToken)
    {
        Signal("TERM");
        return await WaitForExitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills the process if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_exited.Task.IsCompleted)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited in the meantime.
            }

            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            lock (_lines)
            {
                _stderrClosed.TrySetResult();
                foreach (var waiter in _waiters)
                {
                    waiter.Found.TrySetException(new AssertionException($"journalpump exited without logging \"{waiter.Fragment}\"; stderr:\n{string.Join('\n', _lines)}"));
                }

                _waiters.Clear();
            }

            Activity?.Invoke();
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_lines.Count - 1 >= _waiters[i].From && line.Contains(_waiters[i].Fragment, StringComparison.Ordinal))
                {
                    _waiters[i].Found.TrySetResult(line);
                    _waiters.RemoveAt(i);
                }
            }
        }

        Activity?.Invoke();
    }

    private void OnExited()
    {
        // WaitForExit() without a timeout also waits for the redirected streams to reach their end.
        _process.WaitForExit();
        _exited.TrySetResult(_process.ExitCode);
        Activity?.Invoke();
    }
}
