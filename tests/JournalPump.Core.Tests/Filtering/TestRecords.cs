using System.Text;
using JournalPump.Core.Formatting;

namespace JournalPump.Core.Tests.Filtering;

/// <summary>Builds completed records from (raw name, value) pairs, as the journal would give them.</summary>
internal static class TestRecords
{
    public static JournalRecord Make(params (string Name, string Value)[] fields)
    {
        var record = new JournalRecord();
        foreach (var (name, value) in fields)
        {
            record.AddField(Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(value));
        }

        record.Complete(1_700_000_000_123_456);
        return record;
    }

    public static JournalRecord MakeBytes(params (string Name, byte[] Value)[] fields)
    {
        var record = new JournalRecord();
        foreach (var (name, value) in fields)
        {
            record.AddField(Encoding.UTF8.GetBytes(name), value);
        }

        record.Complete(1_700_000_000_123_456);
        return record;
    }

    public static string Json(JournalRecord record, JournalJsonFormatterOptions? options = null)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        new JournalJsonFormatter(options).Format(record, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
