using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using JournalPump.Core.Formatting;

namespace JournalPump.Core.Tests.Formatting;

public sealed class JournalJsonFormatterTests
{
    private static readonly JournalJsonFormatter Plain = new();

    [Test]
    public void Spec_example_1_typical_entry()
    {
        string json = Format(1700000000123456,
            ("_BOOT_ID", "0123456789abcdef0123456789abcdef"u8.ToArray()),
            ("MESSAGE", "hello world"u8.ToArray()),
            ("PRIORITY", "6"u8.ToArray()),
            ("_PID", "1234"u8.ToArray()),
            ("_UID", "0"u8.ToArray()),
            ("_HOSTNAME", "host1"u8.ToArray()),
            ("_SYSTEMD_UNIT", "myapp.service"u8.ToArray()),
            ("SYSLOG_IDENTIFIER", "myapp"u8.ToArray()),
            ("_MACHINE_ID", "fedcba9876543210fedcba9876543210"u8.ToArray()));
        Assert.That(json, Is.EqualTo("""{"BOOT_ID": "01234567-89ab-cdef-0123-456789abcdef", "MESSAGE": "hello world", "PRIORITY": 6, "PID": 1234, "UID": "0", "HOSTNAME": "host1", "SYSTEMD_UNIT": "myapp.service", "SYSLOG_IDENTIFIER": "myapp", "MACHINE_ID": "fedcba98-7654-3210-fedc-ba9876543210", "REALTIME_TIMESTAMP": 1700000000.123456, "timestamp": "2023-11-14T22:13:20.123456"}"""));
    }

    [Test]
    public void Spec_example_2_conversions_escaping_whole_second()
    {
        string json = Format(1700000000000000,
            ("_BOOT_ID", "0123456789abcdef0123456789abcdef"u8.ToArray()),
            ("MESSAGE", Encoding.UTF8.GetBytes("café ☃ 😀 \"q\" back\\slash\ttab")),
            ("PRIORITY", "3"u8.ToArray()),
            ("SYSLOG_FACILITY", "3"u8.ToArray()),
            ("ERRNO", "2"u8.ToArray()),
            ("CODE_LINE", "42"u8.ToArray()),
            ("MESSAGE_ID", "39F53479D3A045AC8E11786248231FBF"u8.ToArray()),
            ("_SOURCE_REALTIME_TIMESTAMP", "1700000000000001"u8.ToArray()),
            ("_SOURCE_MONOTONIC_TIMESTAMP", "123"u8.ToArray()),
            ("_AUDIT_TYPE", "1300"u8.ToArray()),
            ("COREDUMP_TIMESTAMP", "1699999999500000"u8.ToArray()));
        Assert.That(json, Is.EqualTo("""{"BOOT_ID": "01234567-89ab-cdef-0123-456789abcdef", "MESSAGE": "caf\u00e9 \u2603 \ud83d\ude00 \"q\" back\\slash\ttab", "PRIORITY": 3, "SYSLOG_FACILITY": "3", "ERRNO": "2", "CODE_LINE": 42, "MESSAGE_ID": "39f53479-d3a0-45ac-8e11-786248231fbf", "SOURCE_REALTIME_TIMESTAMP": 1700000000.000001, "SOURCE_MONOTONIC_TIMESTAMP": null, "AUDIT_TYPE": 1300, "COREDUMP_TIMESTAMP": 1699999999.5, "REALTIME_TIMESTAMP": 1700000000.0, "timestamp": "2023-11-14T22:13:20"}"""));
    }

    [Test]
    public void Spec_example_3_non_utf8_repeated_and_failed_conversion()
    {
        string json = Format(1700000000500000,
            ("_BOOT_ID", "0123456789abcdef0123456789abcdef"u8.ToArray()),
            ("MESSAGE", [.. "bad "u8, 0xff, 0xfe, .. " bytes"u8]),
            ("TAG", "a"u8.ToArray()),
            ("TAG", "b"u8.ToArray()),
            ("CODE_LINE", "12x"u8.ToArray()),
            ("BIN", "line1\nline2"u8.ToArray()),
            ("Q", [.. "it's "u8, 0xff]));
        Assert.That(json, Is.EqualTo("""{"BOOT_ID": "01234567-89ab-cdef-0123-456789abcdef", "MESSAGE": "b'bad \\xff\\xfe bytes'", "TAG": ["a", "b"], "CODE_LINE": "12x", "BIN": "line1\nline2", "Q": "b\"it's \\xff\"", "REALTIME_TIMESTAMP": 1700000000.5, "timestamp": "2023-11-14T22:13:20.500000"}"""));
    }

    [Test]
    public void Colliding_names_keep_the_first_position_and_the_last_value()
    {
        string json = Format(1000000,
            ("PID", "user"u8.ToArray()),
            ("MESSAGE", "m"u8.ToArray()),
            ("_PID", "42"u8.ToArray()),
            ("REALTIME_TIMESTAMP", "user"u8.ToArray()),
            ("X_", "trailing"u8.ToArray()));
        Assert.That(json, Is.EqualTo("""{"PID": 42, "MESSAGE": "m", "REALTIME_TIMESTAMP": 1.0, "X_": "trailing", "timestamp": "1970-01-01T00:00:01"}"""));
    }

    [Test]
    public void Repeated_converted_fields_become_lists_of_converted_values_and_monotonic_stays_one_null()
    {
        // Upstream drops such entries; ours converts each value (spec 4.2, "Ours").
        string json = Format(1000000,
            ("_PID", "1"u8.ToArray()),
            ("_PID", "x"u8.ToArray()),
            ("_PID", [0xff]),
            ("_SOURCE_MONOTONIC_TIMESTAMP", "1"u8.ToArray()),
            ("_SOURCE_MONOTONIC_TIMESTAMP", "2"u8.ToArray()),
            ("COREDUMP_TIMESTAMP", "1"u8.ToArray()),
            ("COREDUMP_TIMESTAMP", "-5"u8.ToArray()));
        Assert.That(json, Is.EqualTo("""{"PID": [1, "x", "b'\\xff'"], "SOURCE_MONOTONIC_TIMESTAMP": null, "COREDUMP_TIMESTAMP": [1e-06, -5e-06], "REALTIME_TIMESTAMP": 1.0, "timestamp": "1970-01-01T00:00:01"}"""));
    }

    [Test]
    public void Timestamp_fields_too_large_for_a_double_stay_strings()
    {
        string big = new('9', 400);
        string json = Format(1000000, ("COREDUMP_TIMESTAMP", Encoding.ASCII.GetBytes(big)));
        Assert.That(json, Does.StartWith("{\"COREDUMP_TIMESTAMP\": \"" + big + "\", "));
    }

    [Test]
    public void Extra_fields_replace_existing_keys_in_place_and_append_new_ones_after_timestamp()
    {
        var formatter = new JournalJsonFormatter(new JournalJsonFormatterOptions
        {
            ExtraFieldValues = JsonNode.Parse("""{"source": "golden", "n": 3, "big": 123456789012345678901234567890, "ratio": 0.5, "one": 1.0, "exp": 1E5, "neg0": -0, "flag": true, "nil": null, "nested": {"a": [1, "x\u00e9"]}, "HOSTNAME": "over"}""")!.AsObject(),
        });
        string json = Format(formatter, 1000000, ("_HOSTNAME", "h"u8.ToArray()), ("MESSAGE", "m"u8.ToArray()));
        Assert.That(json, Is.EqualTo("""{"HOSTNAME": "over", "MESSAGE": "m", "REALTIME_TIMESTAMP": 1.0, "timestamp": "1970-01-01T00:00:01", "source": "golden", "n": 3, "big": 123456789012345678901234567890, "ratio": 0.5, "one": 1.0, "exp": 100000.0, "neg0": 0, "flag": true, "nil": null, "nested": {"a": [1, "x\u00e9"]}}"""));
    }

    [Test]
    public void An_extra_field_named_timestamp_replaces_the_timestamp_value()
    {
        var formatter = new JournalJsonFormatter(new JournalJsonFormatterOptions { ExtraFieldValues = new JsonObject { ["timestamp"] = "fixed", ["z"] = 1 } });
        Assert.That(Format(formatter, 1000000, ("A", "a"u8.ToArray())), Is.EqualTo("""{"A": "a", "REALTIME_TIMESTAMP": 1.0, "timestamp": "fixed", "z": 1}"""));
    }

    [Test]
    public void The_key_filter_sees_every_key_including_timestamp_and_extra_fields()
    {
        var formatter = new JournalJsonFormatter(new JournalJsonFormatterOptions
        {
            ExtraFieldValues = new JsonObject { ["keep"] = 1, ["drop"] = 2 },
            KeyFilter = new DropKeys("timestamp", "drop", "PID"),
        });
        Assert.That(Format(formatter, 1000000, ("_PID", "1"u8.ToArray()), ("A", "a"u8.ToArray())), Is.EqualTo("""{"A": "a", "REALTIME_TIMESTAMP": 1.0, "keep": 1}"""));
    }

    [Test]
    public void A_filter_that_drops_everything_gives_an_empty_object()
    {
        var formatter = new JournalJsonFormatter(new JournalJsonFormatterOptions { KeyFilter = new DropAll() });
        Assert.That(Format(formatter, 1000000, ("A", "a"u8.ToArray())), Is.EqualTo("{}"));
    }

    [Test]
    public void A_record_of_exactly_1_MiB_passes_and_one_byte_more_becomes_the_stub()
    {
        // {"M": "<n>", "REALTIME_TIMESTAMP": 1.0, "timestamp": "1970-01-01T00:00:01"} is n + 72 bytes.
        const int Overhead = 72;
        var output = new ArrayBufferWriter<byte>();
        using var record = new JournalRecord();

        Load(record, 1000000, ("M", Encoding.ASCII.GetBytes(new string('y', JournalJsonFormatter.MaxRecordLength - Overhead))));
        var fits = Plain.Format(record, output);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fits.BytesWritten, Is.EqualTo(JournalJsonFormatter.MaxRecordLength));
            Assert.That(fits.IsOversized, Is.False);
            Assert.That(output.WrittenCount, Is.EqualTo(JournalJsonFormatter.MaxRecordLength));
        }

        output.Clear();
        Load(record, 1000000, ("M", Encoding.ASCII.GetBytes(new string('y', JournalJsonFormatter.MaxRecordLength - Overhead + 1))));
        var stub = Plain.Format(record, output);
        string expected = "{\"error\": \"too large message 1048577 bytes vs maximum 1048576 bytes\", \"partial_data\": \"{\\\"M\\\": \\\"" + new string('y', 1024 - 7) + "\"}";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stub.IsOversized, Is.True);
            Assert.That(stub.RecordLength, Is.EqualTo(1048577));
            Assert.That(stub.BytesWritten, Is.EqualTo(output.WrittenCount));
            Assert.That(Encoding.ASCII.GetString(output.WrittenSpan), Is.EqualTo(expected));
        }
    }

    [Test]
    public void Partial_data_is_cut_at_byte_1024_even_inside_an_escape()
    {
        // "{"M": "" is 7 bytes; then \u0001 escapes of 6 bytes: byte 1024 falls inside the 170th escape.
        var output = new ArrayBufferWriter<byte>();
        using var record = new JournalRecord();
        Load(record, 1000000, ("M", [.. Enumerable.Repeat((byte)1, 200_000)]));
        var result = Plain.Format(record, output);
        string text = Encoding.ASCII.GetString(output.WrittenSpan);
        string partial = "{\\\"M\\\": \\\"" + string.Concat(Enumerable.Repeat("\\\\u0001", 169)) + "\\\\u0";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.RecordLength, Is.EqualTo(7 + (6 * 200_000) + 65));
            Assert.That(text, Is.EqualTo("{\"error\": \"too large message " + result.RecordLength + " bytes vs maximum 1048576 bytes\", \"partial_data\": \"" + partial + "\"}"));
        }
    }

    [Test]
    public void SetString_rewrites_one_value_for_filters()
    {
        using var record = new JournalRecord();
        Load(record, 1000000, ("MESSAGE", [.. "pw=x "u8, 0xff]), ("TAG", "a"u8.ToArray()), ("TAG", "b"u8.ToArray()));
        int message = record.IndexOf("MESSAGE"u8);
        Assert.That(record[message][0].ToPythonString(), Is.EqualTo("b'pw=x \\xff'"));
        record.SetString(message, 0, "pw=***"u8);
        record.SetString(record.IndexOf("TAG"u8), 1, "\u00e9"u8);
        var output = new ArrayBufferWriter<byte>();
        Plain.Format(record, output);
        Assert.That(Encoding.ASCII.GetString(output.WrittenSpan), Is.EqualTo("""{"MESSAGE": "pw=***", "TAG": ["a", "\u00e9"], "REALTIME_TIMESTAMP": 1.0, "timestamp": "1970-01-01T00:00:01"}"""));
    }

    [Test]
    public void Record_exposes_keys_raw_names_and_typed_values()
    {
        using var record = new JournalRecord();
        Load(record, 1500000, ("PRIORITY", " 3"u8.ToArray()), ("_SYSTEMD_UNIT", "a.service"u8.ToArray()), ("_SOURCE_MONOTONIC_TIMESTAMP", "5"u8.ToArray()));
        var priority = record[record.IndexOf("PRIORITY"u8)];
        var unit = record[record.IndexOf("SYSTEMD_UNIT"u8)];
        var realtime = record[record.Count - 1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.Count, Is.EqualTo(4));
            Assert.That(priority[0].Kind, Is.EqualTo(JournalValueKind.Number));
            Assert.That(priority[0].ToPythonString(), Is.EqualTo("3"));
            Assert.That(Encoding.ASCII.GetString(unit.RawName), Is.EqualTo("_SYSTEMD_UNIT"));
            Assert.That(unit.IsList, Is.False);
            Assert.That(record[record.IndexOf("SOURCE_MONOTONIC_TIMESTAMP"u8)][0].Kind, Is.EqualTo(JournalValueKind.Null));
            Assert.That(Encoding.ASCII.GetString(realtime.Key), Is.EqualTo("REALTIME_TIMESTAMP"));
            Assert.That(realtime[0].Seconds, Is.EqualTo(1.5));
            Assert.That(record.IndexOf("_SYSTEMD_UNIT"u8), Is.EqualTo(-1));
        }
    }

    [Test]
    public void Formatting_a_reused_record_allocates_nothing()
    {
        using var record = new JournalRecord();
        var output = new ArrayBufferWriter<byte>(1 << 16);
        var formatter = new JournalJsonFormatter(new JournalJsonFormatterOptions { ExtraFieldValues = new JsonObject { ["host"] = "h" } });
        for (int i = 0; i < 3; i++)
        {
            RoundTrip(record, formatter, output);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            RoundTrip(record, formatter, output);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);

        static void RoundTrip(JournalRecord record, JournalJsonFormatter formatter, ArrayBufferWriter<byte> output)
        {
            record.Clear();
            record.AddField("_BOOT_ID"u8, "0123456789abcdef0123456789abcdef"u8);
            record.AddField("MESSAGE"u8, "caf\u00e9 \"quoted\" \U0001F600 line\nnext"u8);
            record.AddField("PRIORITY"u8, "6"u8);
            record.AddField("_PID"u8, "1234"u8);
            record.AddField("TAG"u8, "a"u8);
            record.AddField("TAG"u8, "b"u8);
            record.AddField("BIN"u8, [0xff, 0x27]);
            record.AddField("_SOURCE_REALTIME_TIMESTAMP"u8, "1700000000000001"u8);
            record.Complete(1700000000123456);
            output.ResetWrittenCount();
            formatter.Format(record, output);
        }
    }

    private static string Format(ulong realtime, params (string Name, byte[] Value)[] fields) => Format(Plain, realtime, fields);

    private static string Format(JournalJsonFormatter formatter, ulong realtime, params (string Name, byte[] Value)[] fields)
    {
        using var record = new JournalRecord();
        Load(record, realtime, fields);
        var output = new ArrayBufferWriter<byte>();
        var result = formatter.Format(record, output);
        Assert.That(result.BytesWritten, Is.EqualTo(output.WrittenCount));
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }

    private static void Load(JournalRecord record, ulong realtime, params (string Name, byte[] Value)[] fields)
    {
        record.Clear();
        foreach (var (name, value) in fields)
        {
            record.AddField(Encoding.ASCII.GetBytes(name), value);
        }

        record.Complete(realtime);
    }

    private sealed class DropKeys(params string[] keys) : IJournalKeyFilter
    {
        public bool Includes(ReadOnlySpan<byte> key) => !keys.Contains(Encoding.UTF8.GetString(key));
    }

    private sealed class DropAll : IJournalKeyFilter
    {
        public bool Includes(ReadOnlySpan<byte> key) => false;
    }
}
