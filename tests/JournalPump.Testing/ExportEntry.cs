using System.Text;

namespace JournalPump.Testing;

/// <summary>One journal entry to write in the journal export format: fields in order, values as bytes.</summary>
public sealed class ExportEntry
{
    private readonly List<KeyValuePair<string, byte[]>> _fields = [];

    /// <summary>The fields in the order they are written.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> Fields => _fields;

    /// <summary>Adds a field with a UTF-8 value.</summary>
    public ExportEntry Add(string name, string value) => Add(name, Encoding.UTF8.GetBytes(value));

    /// <summary>Adds a field with raw bytes.</summary>
    public ExportEntry Add(string name, byte[] value)
    {
        _fields.Add(new(name, value));
        return this;
    }

    /// <summary>Sets the timestamps and ids that make an entry independent of the machine and the clock.</summary>
    public static ExportEntry Create(ulong realtimeMicroseconds, ulong monotonicMicroseconds, string bootId, string machineId = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b", string hostname = "test-host") =>
        new ExportEntry()
            .Add("__REALTIME_TIMESTAMP", realtimeMicroseconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("__MONOTONIC_TIMESTAMP", monotonicMicroseconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("_BOOT_ID", bootId)
            .Add("_MACHINE_ID", machineId)
            .Add("_HOSTNAME", hostname);

    /// <summary>
    /// The fields that the journal stores for this entry: what systemd-journal-remote keeps (no
    /// <c>__</c> fields, no empty binary values) with identical <c>NAME=value</c> pairs collapsed.
    /// </summary>
    public IEnumerable<KeyValuePair<string, byte[]>> StoredFields()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in _fields)
        {
            if (name.StartsWith("__", StringComparison.Ordinal))
            {
                continue;
            }

            if (value.Length == 0 && JournalExportWriter.NeedsBinaryForm(value))
            {
                continue;
            }

            if (seen.Add(name + "=" + Convert.ToBase64String(value)))
            {
                yield return new(name, value);
            }
        }
    }
}
