using System.Diagnostics;
using System.Text;
using JournalPump.Core.Pipeline;
using JournalPump.Host.FileOutput;
using JournalPump.Host.Tests.Systemd;

namespace JournalPump.Host.Tests.FileOutput;

/// <summary>
/// A disk that fills up in the middle of a batch, on a real 64 KiB tmpfs. Needs to mount (root, as CI
/// runs); ignored with the reason where mounting is not allowed.
/// </summary>
[Category("Integration")]
public sealed class FileSinkDiskFullTests
{
    private string _mountPoint = null!;

    [SetUp]
    public async Task Mount()
    {
        _mountPoint = Directory.CreateTempSubdirectory("filesink-tmpfs-").FullName;
        var (code, error) = await RunAsync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", _mountPoint]);
        if (code != 0)
        {
            Directory.Delete(_mountPoint);
            Assert.Ignore($"cannot mount a tmpfs here: {error.Trim()}");
        }
    }

    [TearDown]
    public async Task Unmount()
    {
        if (Directory.Exists(_mountPoint))
        {
            await RunAsync("umount", [_mountPoint]);
            Directory.Delete(_mountPoint, recursive: true);
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_batch_cut_short_by_a_full_disk_is_taken_back_and_retried_whole(CancellationToken ct)
    {
        string path = Path.Combine(_mountPoint, "out.log");
        string ballast = Path.Combine(_mountPoint, "ballast");
        await File.WriteAllBytesAsync(ballast, new byte[32 * 1024], ct);
        var logger = new ListLogger();
        await using var sink = new FileSink("file", new FileSinkOptions { Path = path }, logger);
        byte[] first = Records(16, 'a');
        byte[] second = Records(32, 'b');

        var delivered = await sink.SendAsync(Batch(first), ct);
        var full = await sink.SendAsync(Batch(second), ct);
        long lengthAfterFailure = new FileInfo(path).Length;
        File.Delete(ballast);
        var retried = await sink.SendAsync(Batch(second), ct);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(delivered.Status, Is.EqualTo(SendStatus.Delivered));
            Assert.That(full.Status, Is.EqualTo(SendStatus.Transient));
            Assert.That(full.Reason, Does.Contain("No space left on device"));
            Assert.That(lengthAfterFailure, Is.EqualTo(first.Length), "the partial batch was cut off");
            Assert.That(retried.Status, Is.EqualTo(SendStatus.Delivered));
            Assert.That(await File.ReadAllBytesAsync(path, ct), Is.EqualTo(first.Concat(second).ToArray()));
            Assert.That(logger.Count(HostLog.Ids.FileSinkPartialBatchKept), Is.Zero);
        }
    }

    // Lines of 1 KiB (1023 bytes + '\n'), kibibytes of them.
    private static byte[] Records(int kibibytes, char fill)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < kibibytes; i++)
        {
            builder.Append(new string(fill, 1023)).Append('\n');
        }

        return Encoding.ASCII.GetBytes(builder.ToString());
    }

    private static JournalBatch Batch(byte[] lines)
    {
        var records = new List<ReadOnlyMemory<byte>>();
        for (int start = 0; start < lines.Length; start += 1024)
        {
            records.Add(lines.AsMemory(start, 1023));
        }

        return JournalBatch.Create(records);
    }

    private static async Task<(int Code, string Error)> RunAsync(string command, string[] arguments)
    {
        var start = new ProcessStartInfo(command, arguments) { RedirectStandardError = true };
        try
        {
            using var process = Process.Start(start)!;
            string error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
