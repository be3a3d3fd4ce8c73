using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using JournalPump.Core.Pipeline;
using JournalPump.Host.FileOutput;
using JournalPump.Host.Tests.Systemd;

namespace JournalPump.Host.Tests.FileOutput;

/// <summary>The file sender on the real file system: bytes, append, rotation, write errors, fsync.</summary>
// Tests run in parallel and each has its own directory in fields: one fixture instance per test.
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class FileSinkTests
{
    private string _directory = null!;
    private string _path = null!;
    private ListLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("filesink-").FullName;
        _path = Path.Combine(_directory, "out.log");
        _logger = new ListLogger();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    [CancelAfter(10_000)]
    public async Task Writes_each_record_byte_for_byte_followed_by_a_newline(CancellationToken ct)
    {
        // Non-ASCII, escapes, a lone surrogate's \u escape and an empty record: nothing is re-encoded.
        string[] records =
        [
            """{"MESSAGE":"héllo wörld ✓","PRIORITY":"6"}""",
            """{"MESSAGE":"tab\tquote\"back\\slash\ud800"}""",
            "",
            """{"a":1}""",
        ];
        await using var sink = NewSink();

        var result = await sink.SendAsync(Batch(records), ct);

        Assert.That(result.Status, Is.EqualTo(SendStatus.Delivered));
        byte[] expected = Encoding.UTF8.GetBytes(string.Concat(records.Select(r => r + "\n")));
        Assert.That(await File.ReadAllBytesAsync(_path, ct), Is.EqualTo(expected));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Coalesced_records_from_one_buffer_are_written_identically(CancellationToken ct)
    {
        // Lines adjacent in one buffer, as the pipeline's pooled chunks hold them, go out in one write.
        byte[] buffer = Encoding.UTF8.GetBytes("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
        var batch = JournalBatch.Create([buffer.AsMemory(0, 7), buffer.AsMemory(8, 7), buffer.AsMemory(16, 7)]);
        await using var sink = NewSink();

        Assert.That((await sink.SendAsync(batch, ct)).Status, Is.EqualTo(SendStatus.Delivered));
        Assert.That(await File.ReadAllBytesAsync(_path, ct), Is.EqualTo(buffer));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Appends_to_an_existing_file(CancellationToken ct)
    {
        await File.WriteAllTextAsync(_path, "{\"old\":true}\n", ct);
        await using var sink = NewSink();

        await SendDelivered(sink, ["{\"new\":1}"], ct);
        await SendDelivered(sink, ["{\"new\":2}"], ct);

        Assert.That(await File.ReadAllTextAsync(_path, ct), Is.EqualTo("{\"old\":true}\n{\"new\":1}\n{\"new\":2}\n"));
    }

    [Test]
    [CancelAfter(10_000)]
    [UnsupportedOSPlatform("windows")]
    public async Task Creates_a_missing_file_with_mode_0644_less_the_umask(CancellationToken ct)
    {
        await using var sink = NewSink();

        await SendDelivered(sink, ["{}"], ct);

        var allowed = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var mode = File.GetUnixFileMode(_path);
        Assert.That(mode & ~allowed, Is.EqualTo((UnixFileMode)0), "no bits beyond 0644");
        Assert.That(mode & (UnixFileMode.UserRead | UnixFileMode.UserWrite), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Lines_appended_by_someone_else_between_batches_are_not_overwritten(CancellationToken ct)
    {
        // O_APPEND: each write lands at the end of the file as it is then.
        await using var sink = NewSink();
        await SendDelivered(sink, ["{\"n\":1}"], ct);

        await File.AppendAllTextAsync(_path, "{\"other\":true}\n", ct);
        await SendDelivered(sink, ["{\"n\":2}"], ct);

        Assert.That(await File.ReadAllTextAsync(_path, ct), Is.EqualTo("{\"n\":1}\n{\"other\":true}\n{\"n\":2}\n"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Rename_rotation_with_create_writes_the_next_batch_to_the_new_file(CancellationToken ct)
    {
        await using var sink = NewSink();
        await SendDelivered(sink, ["{\"n\":1}"], ct);

        // logrotate "create": rename, then create an empty file at the path.
        File.Move(_path, _path + ".1");
        await File.WriteAllBytesAsync(_path, [], ct);
        await SendDelivered(sink, ["{\"n\":2}"], ct);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await File.ReadAllTextAsync(_path + ".1", ct), Is.EqualTo("{\"n\":1}\n"));
            Assert.That(await File.ReadAllTextAsync(_path, ct), Is.EqualTo("{\"n\":2}\n"));
            Assert.That(_logger.Count(HostLog.Ids.FileSinkReopening), Is.EqualTo(1));
            Assert.That(_logger.Entries.Single(e => e.EventId.Id == HostLog.Ids.FileSinkReopening).Message, Does.Contain("another file"));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Rename_rotation_without_create_creates_the_path_again(CancellationToken ct)
    {
        await using var sink = NewSink();
        await SendDelivered(sink, ["{\"n\":1}"], ct);

        File.Move(_path, _path + ".1");
        await SendDelivered(sink, ["{\"n\":2}"], ct);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await File.ReadAllTextAsync(_path + ".1", ct), Is.EqualTo("{\"n\":1}\n"));
            Assert.That(await File.ReadAllTextAsync(_path, ct), Is.EqualTo("{\"n\":2}\n"));
            Assert.That(_logger.Entries.Single(e => e.EventId.Id == HostLog.Ids.FileSinkReopening).Message, Does.Contain("no longer exists"));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Deleted_file_is_created_again(CancellationToken ct)
    {
        await using var sink = NewSink();
        await SendDelivered(sink, ["{\"n\":1}"], ct);

        File.Delete(_path);
        await SendDelivered(sink, ["{\"n\":2}"], ct);

        Assert.That(await File.ReadAllTextAsync(_path, ct), Is.EqualTo("{\"n\":2}\n"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Copytruncate_rotation_writes_from_the_start_without_a_hole(CancellationToken ct)
    {
        await using var sink = NewSink();
        await SendDelivered(sink, ["{\"n\":1}", "{\"n\":2}"], ct);

        // logrotate "copytruncate": copy, then truncate the file in place (same inode).
        File.Copy(_path, _path + ".1");
        using (var truncate = new FileStream(_path, FileMode.Open, FileAccess.Write))
        {
            truncate.SetLength(0);
        }

        await SendDelivered(sink, ["{\"n\":3}"], ct);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await File.ReadAllTextAsync(_path + ".1", ct), Is.EqualTo("{\"n\":1}\n{\"n\":2}\n"));
            Assert.That(await File.ReadAllBytesAsync(_path, ct), Is.EqualTo("{\"n\":3}\n"u8.ToArray()), "no NUL bytes before the line");
            Assert.That(_logger.Entries.Single(e => e.EventId.Id == HostLog.Ids.FileSinkReopening).Message, Does.Contain("truncated"));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Reopen_closes_and_opens_the_path_before_the_next_batch(CancellationToken ct)
    {
        await using var sink = NewSink();
        await SendDelivered(sink, ["{\"n\":1}"], ct);

        sink.Reopen();
        await SendDelivered(sink, ["{\"n\":2}"], ct);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await File.ReadAllTextAsync(_path, ct), Is.EqualTo("{\"n\":1}\n{\"n\":2}\n"));
            Assert.That(_logger.Entries.Single(e => e.EventId.Id == HostLog.Ids.FileSinkReopening).Message, Does.Contain("SIGHUP"));
            Assert.That(_logger.Count(HostLog.Ids.FileSinkOpened), Is.EqualTo(2));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task A_symlink_retargeted_by_rotation_is_followed(CancellationToken ct)
    {
        string first = Path.Combine(_directory, "a.log");
        string second = Path.Combine(_directory, "b.log");
        File.CreateSymbolicLink(_path, first);
        await using var sink = NewSink();
        await SendDelivered(sink, ["{\"n\":1}"], ct);

        File.Delete(_path);
        File.CreateSymbolicLink(_path, second);
        await SendDelivered(sink, ["{\"n\":2}"], ct);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await File.ReadAllTextAsync(first, ct), Is.EqualTo("{\"n\":1}\n"));
            Assert.That(await File.ReadAllTextAsync(second, ct), Is.EqualTo("{\"n\":2}\n"));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task A_full_device_is_a_transient_failure_and_nothing_is_acknowledged(CancellationToken ct)
    {
        // /dev/full fails every write with ENOSPC.
        await using var sink = new FileSink("file", new FileSinkOptions { Path = "/dev/full" }, _logger);

        var first = await sink.SendAsync(Batch(["{\"n\":1}"]), ct);
        var retry = await sink.SendAsync(Batch(["{\"n\":1}"]), ct);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Status, Is.EqualTo(SendStatus.Transient));
            Assert.That(first.Reason, Does.Contain("No space left on device"));
            Assert.That(retry.Status, Is.EqualTo(SendStatus.Transient));
            Assert.That(_logger.Count(HostLog.Ids.FileSinkWriteFailed), Is.EqualTo(2));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task A_missing_directory_is_transient_until_it_exists(CancellationToken ct)
    {
        string path = Path.Combine(_directory, "later", "out.log");
        await using var sink = new FileSink("file", new FileSinkOptions { Path = path }, _logger);

        var failed = await sink.SendAsync(Batch(["{\"n\":1}"]), ct);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var retried = await sink.SendAsync(Batch(["{\"n\":1}"]), ct);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Status, Is.EqualTo(SendStatus.Transient));
            Assert.That(failed.Reason, Does.Contain(path));
            Assert.That(_logger.Count(HostLog.Ids.FileSinkOpenFailed), Is.EqualTo(1));
            Assert.That(retried.Status, Is.EqualTo(SendStatus.Delivered));
            Assert.That(await File.ReadAllTextAsync(path, ct), Is.EqualTo("{\"n\":1}\n"));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task A_device_path_is_written_without_rotation_checks(CancellationToken ct)
    {
        await using var sink = new FileSink("file", new FileSinkOptions { Path = "/dev/null" }, _logger);

        Assert.That((await sink.SendAsync(Batch(["{}"]), ct)).Status, Is.EqualTo(SendStatus.Delivered));
        Assert.That((await sink.SendAsync(Batch(["{}"]), ct)).Status, Is.EqualTo(SendStatus.Delivered));
        await sink.FlushAsync(ct);
        Assert.That(_logger.Count(HostLog.Ids.FileSinkReopening), Is.Zero);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task FlushAsync_fsyncs_an_open_file_and_is_a_no_op_before_the_first_batch(CancellationToken ct)
    {
        await using var sink = NewSink();
        await sink.FlushAsync(ct);
        Assert.That(File.Exists(_path), Is.False, "flushing does not open the file");

        await SendDelivered(sink, ["{\"n\":1}"], ct);
        await sink.FlushAsync(ct);

        Assert.That(await File.ReadAllTextAsync(_path, ct), Is.EqualTo("{\"n\":1}\n"));
        Assert.That(_logger.Count(HostLog.Ids.FileSinkSyncFailed), Is.Zero);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Syncing_every_batch_delivers_the_same_bytes(CancellationToken ct)
    {
        await using var sink = new FileSink("file", new FileSinkOptions { Path = _path, SyncEveryBatch = true }, _logger);

        await SendDelivered(sink, ["{\"n\":1}"], ct);

        Assert.That(await File.ReadAllTextAsync(_path, ct), Is.EqualTo("{\"n\":1}\n"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task A_cancelled_send_writes_nothing(CancellationToken ct)
    {
        await using var sink = NewSink();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.That(async () => await sink.SendAsync(Batch(["{}"]), cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(File.Exists(_path), Is.False);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Dispose_closes_the_file_and_a_later_send_throws(CancellationToken ct)
    {
        var sink = NewSink();
        await SendDelivered(sink, ["{\"n\":1}"], ct);

        await sink.DisposeAsync();
        await sink.DisposeAsync();

        Assert.That(async () => await sink.SendAsync(Batch(["{}"]), ct), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(await File.ReadAllTextAsync(_path, ct), Is.EqualTo("{\"n\":1}\n"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Identity_of_a_path_and_of_its_open_handle_match_stat(CancellationToken ct)
    {
        // The statx struct layout, checked against coreutils' stat on this architecture.
        await File.WriteAllTextAsync(_path, "12345", ct);
        Assert.That(FileIdentity.TryGet(_path, out var byPath, out int errno), Is.True, $"errno {errno}");
        using var handle = File.OpenHandle(_path);
        Assert.That(FileIdentity.TryGet(handle, out var byHandle, out _), Is.True);

        var psi = new ProcessStartInfo("stat", ["-c", "%d %i %s", _path]) { RedirectStandardOutput = true };
        using var stat = Process.Start(psi)!;
        string[] fields = (await stat.StandardOutput.ReadToEndAsync(ct)).Trim().Split(' ');
        await stat.WaitForExitAsync(ct);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(byPath.Device, Is.EqualTo(ulong.Parse(fields[0], CultureInfo.InvariantCulture)));
            Assert.That(byPath.Inode, Is.EqualTo(ulong.Parse(fields[1], CultureInfo.InvariantCulture)));
            Assert.That(byPath.Size, Is.EqualTo(5));
            Assert.That(byPath.IsRegularFile, Is.True);
            Assert.That(byHandle, Is.EqualTo(byPath));
            Assert.That(FileIdentity.TryGet(Path.Combine(_directory, "missing"), out _, out errno), Is.False);
            Assert.That(errno, Is.EqualTo(2), "ENOENT");
        }
    }

    [TestCase(0)]
    [TestCase(20_000)]
    [CancelAfter(10_000)]
    public async Task An_unfinished_last_line_left_by_a_kill_is_cut_before_appending(int fragmentLength, CancellationToken ct)
    {
        // A run killed in mid-write leaves complete lines, then part of a batch that was never acknowledged.
        string fragment = "{\"MESSAGE\": \"cut off in the mid" + new string('x', fragmentLength);
        await File.WriteAllTextAsync(_path, "{\"a\": 1}\n{\"b\": 2}\n" + fragment, ct);
        await using var sink = NewSink();

        await SendDelivered(sink, ["""{"c": 3}"""], ct);

        Assert.That(await File.ReadAllTextAsync(_path, ct), Is.EqualTo("{\"a\": 1}\n{\"b\": 2}\n{\"c\": 3}\n"));
        Assert.That(_logger.EventIds, Does.Contain(HostLog.Ids.FileSinkUnfinishedLineCut));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task A_file_holding_only_an_unfinished_line_is_emptied(CancellationToken ct)
    {
        await File.WriteAllTextAsync(_path, "{\"never\": \"acknowledged", ct);
        await using var sink = NewSink();

        await SendDelivered(sink, ["""{"c": 3}"""], ct);

        Assert.That(await File.ReadAllTextAsync(_path, ct), Is.EqualTo("{\"c\": 3}\n"));
    }

    private FileSink NewSink() => new("file", new FileSinkOptions { Path = _path }, _logger);

    private static JournalBatch Batch(IEnumerable<string> records) =>
        JournalBatch.Create(records.Select(r => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(r)));

    private static async Task SendDelivered(FileSink sink, string[] records, CancellationToken ct)
    {
        var result = await sink.SendAsync(Batch(records), ct);
        Assert.That(result.Status, Is.EqualTo(SendStatus.Delivered), result.Reason);
    }
}
