using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using JournalPump.Core.Formatting;
using JournalPump.Core.Pipeline;
using Microsoft.Win32.SafeHandles;

namespace JournalPump.Core.Checkpoints;

/// <summary>
/// journalpump's state file (<c>json_state_file_path</c>): written in exactly journalpump's shape and bytes
/// (Python <c>json.dump(indent=4, sort_keys=True)</c>), so either implementation reads the other's file, and
/// written atomically: a temporary file in the same directory (mode 0600), fsync, rename over the target,
/// fsync of the directory.
/// </summary>
public static class PumpStateFile
{
    /// <summary>The sender type names journalpump writes, by output type.</summary>
    public static IReadOnlyDictionary<string, string> SenderTypes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["elasticsearch"] = "ElasticsearchSender",
        ["opensearch"] = "OpenSearchSender",
        ["kafka"] = "KafkaSender",
        ["rsyslog"] = "RsyslogSender",
        ["logplex"] = "LogplexSender",
        ["websocket"] = "WebsocketSender",
        ["aws_cloudwatch"] = "AWSCloudWatchSender",
        ["google_cloud_logging"] = "GoogleCloudLoggingSender",
        ["file"] = "FileSender",
    };

    /// <summary>Reads the positions of a state file written by journalpump or by this pump.</summary>
    /// <param name="path">The state file.</param>
    /// <returns>The positions; <see cref="PumpCheckpoint.Empty"/> when the file does not exist.</returns>
    /// <exception cref="InvalidDataException">The file is not a journalpump state file (not JSON, wrong shape).</exception>
    public static PumpCheckpoint Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            return PumpCheckpoint.Empty;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var readers = new Dictionary<string, ReaderCheckpoint>(StringComparer.Ordinal);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: the state is not a JSON object");
            }

            if (doc.RootElement.TryGetProperty("readers", out var readersElement) && readersElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var reader in readersElement.EnumerateObject())
                {
                    string? readCursor = reader.Value.TryGetProperty("cursor", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    var sent = new Dictionary<string, string?>(StringComparer.Ordinal);
                    if (reader.Value.TryGetProperty("senders", out var senders) && senders.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var sender in senders.EnumerateObject())
                        {
                            sent[sender.Name] = sender.Value.TryGetProperty("sent", out var s) && s.ValueKind == JsonValueKind.Object
                                && s.TryGetProperty("cursor", out var sc) && sc.ValueKind == JsonValueKind.String ? sc.GetString() : null;
                        }
                    }

                    readers[reader.Name] = new ReaderCheckpoint(readCursor, sent);
                }
            }

            return new PumpCheckpoint(readers);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the state file is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Writes the state atomically.</summary>
    /// <param name="path">The state file.</param>
    /// <param name="readers">The readers' state.</param>
    /// <param name="startTime">When the process started (<c>start_time</c>).</param>
    public static void Write(string path, IReadOnlyList<ReaderState> readers, DateTimeOffset startTime)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(readers);
        byte[] bytes = Serialize(readers, startTime);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Combine(directory, Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(temp, options))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        FsyncDirectory(directory);
    }

    private static void FsyncDirectory(string directory)
    {
        // A rename is durable only once the directory is synced. Opening a directory read-only and
        // fsyncing it is allowed on Linux; FileStream cannot open directories, File.OpenHandle can.
        try
        {
            using SafeFileHandle handle = File.OpenHandle(directory, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var stream = new FileStream(handle, FileAccess.Read, 1);
            stream.Flush(flushToDisk: true);
        }
        catch (UnauthorizedAccessException)
        {
            // Some file systems refuse to open directories; the rename is still atomic.
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The state as journalpump writes it: sorted keys, 4-space indentation, no trailing newline.</summary>
    /// <returns>The UTF-8 bytes.</returns>
    internal static byte[] Serialize(IReadOnlyList<ReaderState> readers, DateTimeOffset startTime)
    {
        var root = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        var readerNodes = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var reader in readers)
        {
            var senders = new SortedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var sender in reader.Senders)
            {
                senders[sender.Name] = new SortedDictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["buffer"] = new SortedDictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["current_queue"] = sender.CurrentQueue,
                        ["cursor"] = sender.BufferCursor,
                        ["entry_num"] = sender.EntryNum,
                        ["total_size"] = sender.TotalSize,
                    },
                    ["health"] = new SortedDictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["elapsed"] = sender.Elapsed,
                        ["errors"] = sender.Errors.Cast<object?>().ToList(),
                        ["status"] = sender.Status.ToString().ToLowerInvariant(),
                    },
                    ["sent"] = new SortedDictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["bytes"] = sender.SentBytes,
                        ["count"] = sender.SentCount,
                        ["cursor"] = sender.SentCursor,
                    },
                    ["type"] = sender.Type,
                };
                if (sender.RejectedCount > 0)
                {
                    ((SortedDictionary<string, object?>)((SortedDictionary<string, object?>)senders[sender.Name]!)["sent"]!)["rejected"] = sender.RejectedCount;
                }
            }

            var hits = new SortedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (name, count) in reader.SearchHits)
            {
                hits[name] = count;
            }

            var node = new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["cursor"] = reader.ReadCursor,
                ["searches"] = hits,
                ["senders"] = senders,
                ["total_bytes"] = reader.TotalBytes,
                ["total_lines"] = reader.TotalLines,
            };

            // Additions of ours, written only when there is something to say, so that the file stays
            // byte-identical to journalpump's otherwise.
            if (reader.LostEntries > 0)
            {
                node["lost_entries"] = reader.LostEntries;
            }

            if (reader.CorruptedEntries > 0)
            {
                node["corrupted_entries"] = reader.CorruptedEntries;
            }

            readerNodes[reader.Name] = node;
        }

        root["readers"] = readerNodes;
        root["start_time"] = startTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        var output = new ArrayBufferWriter<byte>(4096);
        WriteValue(output, root, 0);
        return output.WrittenSpan.ToArray();
    }

    private static void WriteValue(ArrayBufferWriter<byte> output, object? value, int depth)
    {
        switch (value)
        {
            case null:
                Ascii(output, "null");
                break;
            case string s:
                byte[] utf8 = Encoding.UTF8.GetBytes(s);
                var span = output.GetSpan(PythonJson.MaxStringLength(utf8.Length));
                output.Advance(PythonJson.WriteString(utf8, span));
                break;
            case long l:
                Ascii(output, l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                var f = output.GetSpan(PythonFloat.MaxLength);
                output.Advance(PythonFloat.Format(d, f));
                break;
            case SortedDictionary<string, object?> map:
                if (map.Count == 0)
                {
                    Ascii(output, "{}");
                    break;
                }

                Ascii(output, "{");
                bool first = true;
                foreach (var (key, item) in map)
                {
                    Ascii(output, first ? "\n" : ",\n");
                    first = false;
                    Indent(output, depth + 1);
                    WriteValue(output, key, depth + 1);
                    Ascii(output, ": ");
                    WriteValue(output, item, depth + 1);
                }

                Ascii(output, "\n");
                Indent(output, depth);
                Ascii(output, "}");
                break;
            case List<object?> list:
                if (list.Count == 0)
                {
                    Ascii(output, "[]");
                    break;
                }

                Ascii(output, "[");
                for (int i = 0; i < list.Count; i++)
                {
                    Ascii(output, i == 0 ? "\n" : ",\n");
                    Indent(output, depth + 1);
                    WriteValue(output, list[i], depth + 1);
                }

                Ascii(output, "\n");
                Indent(output, depth);
                Ascii(output, "]");
                break;
            default:
                throw new InvalidOperationException("Unexpected state value " + value.GetType().Name);
        }
    }

    private static void Indent(ArrayBufferWriter<byte> output, int depth) => Ascii(output, new string(' ', depth * 4));

    private static void Ascii(ArrayBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        int n = Encoding.ASCII.GetBytes(text, span);
        output.Advance(n);
    }
}
