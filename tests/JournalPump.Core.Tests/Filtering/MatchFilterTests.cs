using System.Text.Json.Nodes;
using JournalPump.Core.Filtering;

namespace JournalPump.Core.Tests.Filtering;

public sealed class MatchFilterTests
{
    private static bool Matches(string? key, string valueJson, params (string, string)[] fields)
    {
        using var record = TestRecords.Make(fields);
        return new MatchFilter(key, JsonNode.Parse(valueJson)).Matches(record);
    }

    [Test]
    public void No_key_passes_everything()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Matches(null, "\"x\"", ("MESSAGE", "y")), Is.True);
            Assert.That(Matches("", "\"x\"", ("MESSAGE", "y")), Is.True);
            Assert.That(MatchFilter.None.IsEmpty, Is.True);
        }
    }

    [Test]
    public void The_key_is_the_renamed_one()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Matches("SYSTEMD_UNIT", "\"nginx.service\"", ("_SYSTEMD_UNIT", "nginx.service")), Is.True);
            Assert.That(Matches("_SYSTEMD_UNIT", "\"nginx.service\"", ("_SYSTEMD_UNIT", "nginx.service")), Is.False);
        }
    }

    [Test]
    public void Values_compare_with_their_converted_types_like_python()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Matches("PRIORITY", "3", ("PRIORITY", "3")), Is.True);
            Assert.That(Matches("PRIORITY", "\"3\"", ("PRIORITY", "3")), Is.False, "no string/number coercion");
            Assert.That(Matches("PRIORITY", "3.0", ("PRIORITY", "3")), Is.True, "3 == 3.0 in Python");
            Assert.That(Matches("PRIORITY", "true", ("PRIORITY", "1")), Is.True, "True == 1 in Python");
            Assert.That(Matches("UID", "0", ("_UID", "0")), Is.False, "_UID stays a string");
            Assert.That(Matches("BOOT_ID", "\"01234567-89ab-cdef-0123-456789abcdef\"", ("_BOOT_ID", "0123456789ABCDEF0123456789ABCDEF")), Is.True);
            Assert.That(Matches("REALTIME_TIMESTAMP", "1700000000.123456", ("MESSAGE", "x")), Is.True);
            Assert.That(Matches("PID", "123456789012345678901234567890", ("_PID", "123456789012345678901234567890")), Is.True);
        }
    }

    [Test]
    public void A_null_value_passes_entries_lacking_the_key_or_holding_null()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Matches("NOPE", "null", ("MESSAGE", "x")), Is.True);
            Assert.That(Matches("SOURCE_MONOTONIC_TIMESTAMP", "null", ("_SOURCE_MONOTONIC_TIMESTAMP", "5")), Is.True);
            Assert.That(Matches("MESSAGE", "null", ("MESSAGE", "x")), Is.False);
            Assert.That(Matches("NOPE", "\"x\"", ("MESSAGE", "x")), Is.False);
            using var record = TestRecords.Make(("MESSAGE", "x"));
            Assert.That(new MatchFilter("NOPE", null).Matches(record), Is.True, "absent match_value");
        }
    }

    [Test]
    public void Repeated_fields_only_equal_arrays()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Matches("TAG", "\"a\"", ("TAG", "a"), ("TAG", "b")), Is.False);
            Assert.That(Matches("TAG", "[\"a\", \"b\"]", ("TAG", "a"), ("TAG", "b")), Is.True);
            Assert.That(Matches("TAG", "[\"b\", \"a\"]", ("TAG", "a"), ("TAG", "b")), Is.False);
            Assert.That(Matches("TAG", "[\"a\"]", ("TAG", "a")), Is.False);
            Assert.That(Matches("TAG", "{\"a\": 1}", ("TAG", "a")), Is.False);
        }
    }

    [Test]
    public void Non_utf8_values_compare_as_their_bytes_literal_text()
    {
        using var record = TestRecords.MakeBytes(("MESSAGE", [0x61, 0xff]));
        Assert.That(new MatchFilter("MESSAGE", JsonValue.Create("b'a\\xff'")).Matches(record), Is.True);
    }
}
