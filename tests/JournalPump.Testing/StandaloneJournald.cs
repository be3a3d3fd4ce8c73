using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace JournalPump.Testing;

/// <summary>
/// A real <c>systemd-journald</c> started standalone (no systemd as PID 1 needed) for a journal namespace
/// of its own, so tests neither see nor disturb the machine's journal. Needs root. Entries are written
/// with journald's native protocol, as <c>sd_journal_send</c> does; rotation, sync and vacuum go through
/// <c>journalctl --namespace</c>.
/// </summary>
public sealed class StandaloneJournald : IDisposable
{
    private static readonly string[] JournaldCandidates = ["/lib/systemd/systemd-journald", "/usr/lib/systemd/systemd-journald"];

    private readonly Process _process;
    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endpoint;

    private StandaloneJournald(string ns, Process process)
    {
        Namespace = ns;
        _process = process;
        _endpoint = new UnixDomainSocketEndPoint($"/run/systemd/journal.{ns}/socket");
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>The journal namespace this journald serves.</summary>
    public string Namespace { get; }

    /// <summary>Where journald writes the namespace's persistent journal files.</summary>
    public string JournalDirectory => $"/var/log/journal/{File.ReadAllText("/etc/machine-id").Trim()}.{Namespace}";

    /// <summary>Starts journald for a new namespace and returns once it has notified READY=1.</summary>
    public static StandaloneJournald Start(string prefix = "jptest")
    {
        string journald = JournaldCandidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("systemd-journald is not installed (Debian package systemd).");
        if (!File.Exists("/etc/machine-id") || File.ReadAllText("/etc/machine-id").Trim().Length != 32)
        {
            throw new InvalidOperationException("journald needs /etc/machine-id (run systemd-machine-id-setup).");
        }

        string ns = prefix + Guid.NewGuid().ToString("N")[..10];

        // journald reports readiness with sd_notify: listen for READY=1 on a socket of our own.
        string notifyPath = Path.Combine(Path.GetTempPath(), "jp-notify-" + ns);
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        try
        {
            var psi = new ProcessStartInfo(journald) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            psi.ArgumentList.Add(ns);
            psi.Environment["NOTIFY_SOCKET"] = notifyPath;
            var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start systemd-journald");
            process.ErrorDataReceived += (_, _) => { };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();

            byte[] buffer = new byte[4096];
            notify.ReceiveTimeout = 30_000;
            while (true)
            {
                int n = notify.Receive(buffer);
                if (Encoding.ASCII.GetString(buffer, 0, n).Split('\n').Contains("READY=1"))
                {
                    break;
                }
            }

            return new StandaloneJournald(ns, process);
        }
        finally
        {
            File.Delete(notifyPath);
        }
    }

    /// <summary>Sends one entry over the native protocol, like <c>sd_journal_send</c>.</summary>
    public void Send(params (string Name, string Value)[] fields)
    {
        using var datagram = new MemoryStream();
        Span<byte> length = stackalloc byte[8];
        foreach (var (name, value) in fields)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            datagram.Write(Encoding.ASCII.GetBytes(name));
            if (value.Contains('\n', StringComparison.Ordinal))
            {
                datagram.WriteByte((byte)'\n');
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)bytes.Length);
                datagram.Write(length);
            }
            else
            {
                datagram.WriteByte((byte)'=');
            }

            datagram.Write(bytes);
            datagram.WriteByte((byte)'\n');
        }

        _socket.SendTo(datagram.ToArray(), _endpoint);
    }

    /// <summary>Asks journald to write everything it received to disk, and waits until it has.</summary>
    public void Sync() => Journalctl("--sync");

    /// <summary>Rotates the journal files (archives the active file, starts a new one), and waits until done.</summary>
    public void Rotate() => Journalctl("--rotate");

    /// <summary>Deletes all archived journal files but the newest <paramref name="keep"/>.</summary>
    public void VacuumFiles(int keep) => Journalctl("--vacuum-files=" + keep.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private void Journalctl(string verb)
    {
        var psi = new ProcessStartInfo("journalctl") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("--namespace=" + Namespace);
        psi.ArgumentList.Add(verb);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"journalctl {verb} failed: {err}");
        }
    }

    /// <summary>Stops journald and deletes the namespace's journal files.</summary>
    public void Dispose()
    {
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        if (Directory.Exists(JournalDirectory))
        {
            Directory.Delete(JournalDirectory, recursive: true);
        }

        string runtime = $"/run/log/journal/{File.ReadAllText("/etc/machine-id").Trim()}.{Namespace}";
        if (Directory.Exists(runtime))
        {
            Directory.Delete(runtime, recursive: true);
        }
    }
}
