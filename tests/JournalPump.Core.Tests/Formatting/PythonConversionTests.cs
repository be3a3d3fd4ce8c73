using System.Text;
using JournalPump.Core.Formatting;

namespace JournalPump.Core.Tests.Formatting;

public sealed class PythonConversionTests
{
    [TestCase("7", "7")]
    [TestCase(" +7 ", "7")]
    [TestCase("\t\n\v\f\r7\r\n", "7")]
    [TestCase("0007", "7")]
    [TestCase("1_000", "1000")]
    [TestCase("-0", "0")]
    [TestCase("+0", "0")]
    [TestCase("000", "0")]
    [TestCase("-1", "-1")]
    [TestCase("-0012", "-12")]
    [TestCase("99999999999999999999999", "99999999999999999999999")]
    [TestCase("-18446744073709551616", "-18446744073709551616")]
    public void Int_accepts_what_python_int_accepts(string input, string expected)
    {
        Assert.That(ParseInt(Encoding.UTF8.GetBytes(input)), Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase(" ")]
    [TestCase("+")]
    [TestCase("-")]
    [TestCase("0x10")]
    [TestCase("1.0")]
    [TestCase("1__0")]
    [TestCase("_1")]
    [TestCase("1_")]
    [TestCase("1 2")]
    [TestCase("+-1")]
    [TestCase("12abc")]
    [TestCase("\u0661\u0662")]
    [TestCase("\u00a05")]
    [TestCase("\u001c5")]
    [TestCase("1\u00002")]
    public void Int_rejects_what_python_int_rejects(string input)
    {
        Assert.That(ParseInt(Encoding.UTF8.GetBytes(input)), Is.Null);
    }

    [Test]
    public void Int_accepts_4300_digits_and_rejects_4301()
    {
        Assert.That(ParseInt(Encoding.ASCII.GetBytes(new string('9', 4300))), Has.Length.EqualTo(4300));
        Assert.That(ParseInt(Encoding.ASCII.GetBytes(new string('9', 4301))), Is.Null);
        Assert.That(ParseInt(Encoding.ASCII.GetBytes("1_" + new string('0', 4299))), Has.Length.EqualTo(4300), "underscores do not count");
        Assert.That(ParseInt(Encoding.ASCII.GetBytes(new string('0', 4301))), Is.Null, "leading zeros count");
    }

    [TestCase("fc2e22bc6ee647b6b90729ab34a250b1")]
    [TestCase("FC2E22BC6EE647B6B90729AB34A250B1")]
    [TestCase("{fc2e22bc-6ee6-47b6-b907-29ab34a250b1}")]
    [TestCase("urn:uuid:fc2e22bc-6ee6-47b6-b907-29ab34a250b1")]
    [TestCase("fc2e-22bc6ee647b6b907-29ab34a2-50b1")]
    [TestCase("{{fc2e22bc6ee647b6b90729ab34a250b1}")]
    [TestCase("uuid:urn:fc2e22bc6ee647b6b90729ab34a250b1")]
    [TestCase("fc2e22bc6ee647b6b90729ab34a250b1-")]
    public void Uuid_spellings_python_accepts_become_dashed_lower_case(string input)
    {
        Assert.That(FormatUuid(input), Is.EqualTo("fc2e22bc-6ee6-47b6-b907-29ab34a250b1"));
    }

    [TestCase(" c2e22bc6ee647b6b90729ab34a250b1", "0c2e22bc-6ee6-47b6-b907-29ab34a250b1")]
    [TestCase("+c2e22bc6ee647b6b90729ab34a250b1", "0c2e22bc-6ee6-47b6-b907-29ab34a250b1")]
    [TestCase("0x2e22bc6ee647b6b90729ab34a250b1", "002e22bc-6ee6-47b6-b907-29ab34a250b1")]
    [TestCase("\u0661c2e22bc6ee647b6b90729ab34a250b1", "1c2e22bc-6ee6-47b6-b907-29ab34a250b1")]
    [TestCase("fc2e_22bc6ee647b6b90729ab34a250b", "0fc2e22b-c6ee-647b-6b90-729ab34a250b")]
    [TestCase("0x_e22bc6ee647b6b90729ab34a250b1", "000e22bc-6ee6-47b6-b907-29ab34a250b1")]
    [TestCase("\u3000c2e22bc6ee647b6b90729ab34a250b1", "0c2e22bc-6ee6-47b6-b907-29ab34a250b1")]
    public void Uuid_follows_python_int_base_16_quirks(string input, string expected)
    {
        Assert.That(FormatUuid(input), Is.EqualTo(expected));
    }

    [TestCase("fc2e22bc6ee647b6b90729ab34a250b")]
    [TestCase("zc2e22bc6ee647b6b90729ab34a250b1")]
    [TestCase("fc2e22bc6ee647b6b90729ab34a250b12")]
    [TestCase("")]
    [TestCase("fc2e22bc6ee647b6b90729ab34a2__b1")]
    [TestCase("fc2e22bc6ee647b6b90729ab34a250b_")]
    [TestCase("fc2e_22bc6ee647b6b90729ab34a250b1")]
    [TestCase("\u001cc2e22bc6ee647b6b90729ab34a250b1")]
    [TestCase("\u00e9c2e22bc6ee647b6b90729ab34a250b1")]
    public void Uuid_values_python_rejects_fail(string input)
    {
        Assert.That(FormatUuid(input), Is.Null);
    }

    [Test]
    public void Uuid_of_invalid_utf8_fails()
    {
        byte[] bytes = [0xfc, .. "2e22bc6ee647b6b90729ab34a250b1"u8, 0xff];
        var destination = new byte[PythonUuid.FormattedLength];
        Assert.That(PythonUuid.TryFormat(bytes, destination), Is.False);
    }

    [TestCase(1700000001.0, "1700000001.0")]
    [TestCase(1700000000.123456, "1700000000.123456")]
    [TestCase(1700000303.12, "1700000303.12")]
    [TestCase(1699999999.5, "1699999999.5")]
    [TestCase(1700000000.1, "1700000000.1")]
    [TestCase(-1700000000.5, "-1700000000.5")]
    [TestCase(2147483648.000001, "2147483648.000001")]
    [TestCase(4294967295.999999, "4294967295.999999")]
    [TestCase(4294967296.000001, "4294967296.000001")]
    [TestCase(9.999e-05, "9.999e-05")]
    [TestCase(0.3, "0.3")]
    [TestCase(12345.678901, "12345.678901")]
    [TestCase(0.1234567, "0.1234567")]
    [TestCase(32503680000.123456, "32503680000.123455")]
    [TestCase(1e-06, "1e-06")]
    [TestCase(-5e-06, "-5e-06")]
    [TestCase(1.2e-05, "1.2e-05")]
    [TestCase(1.5e-05, "1.5e-05")]
    [TestCase(0.000123, "0.000123")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(0.1, "0.1")]
    [TestCase(0.0, "0.0")]
    [TestCase(-0.0, "-0.0")]
    [TestCase(1.0, "1.0")]
    [TestCase(1e15, "1000000000000000.0")]
    [TestCase(9999999999999998.0, "9999999999999998.0")]
    [TestCase(1e16, "1e+16")]
    [TestCase(1.5e16, "1.5e+16")]
    [TestCase(1e22, "1e+22")]
    [TestCase(1.7976931348623157e308, "1.7976931348623157e+308")]
    [TestCase(5e-324, "5e-324")]
    [TestCase(123456789012345680.0, "1.2345678901234568e+17")]
    [TestCase(double.PositiveInfinity, "Infinity")]
    [TestCase(double.NegativeInfinity, "-Infinity")]
    [TestCase(double.NaN, "NaN")]
    public void Float_is_written_like_python_repr(double value, string expected)
    {
        var buffer = new byte[PythonFloat.MaxLength];
        int n = PythonFloat.Format(value, buffer);
        Assert.That(Encoding.ASCII.GetString(buffer, 0, n), Is.EqualTo(expected));
    }

    [TestCase(1700000000123456UL, "2023-11-14T22:13:20.123456")]
    [TestCase(1700000000500000UL, "2023-11-14T22:13:20.500000")]
    [TestCase(1700000001000000UL, "2023-11-14T22:13:21")]
    [TestCase(1UL, "1970-01-01T00:00:00.000001")]
    [TestCase(0UL, "1970-01-01T00:00:00")]
    [TestCase(2147483648000000UL, "2038-01-19T03:14:08")]
    [TestCase(4102444799999999UL, "2099-12-31T23:59:59.999999")]
    [TestCase(951782400000000UL, "2000-02-29T00:00:00")]
    [TestCase(32503680000123456UL, "3000-01-01T00:00:00.123455")]
    public void Timestamp_is_python_utcfromtimestamp_isoformat(ulong microseconds, string expected)
    {
        var buffer = new byte[PythonDateTime.MaxLength];
        int n = PythonDateTime.FormatUtcFromTimestamp(microseconds / 1e6, buffer);
        Assert.That(Encoding.ASCII.GetString(buffer, 0, n), Is.EqualTo(expected));
    }

    [TestCase("caf\u00e9 \u2603 \U0001F600 \"q\" back\\slash\ttab", "\"caf\\u00e9 \\u2603 \\ud83d\\ude00 \\\"q\\\" back\\\\slash\\ttab\"")]
    [TestCase("\b\f\n\r\t\u0000\u0001\u001f\u007f\u0085", "\"\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f\\u007f\\u0085\"")]
    [TestCase("/ < > & ' + `", "\"/ < > & ' + `\"")]
    [TestCase("\u2028\u2029\ufeff\uffff\U0010FFFF", "\"\\u2028\\u2029\\ufeff\\uffff\\udbff\\udfff\"")]
    [TestCase("", "\"\"")]
    public void Strings_are_escaped_like_json_dumps_ensure_ascii(string input, string expected)
    {
        var utf8 = Encoding.UTF8.GetBytes(input);
        var buffer = new byte[PythonJson.MaxStringLength(utf8.Length)];
        int n = PythonJson.WriteString(utf8, buffer);
        Assert.That(Encoding.ASCII.GetString(buffer, 0, n), Is.EqualTo(expected));
    }

    [TestCase(new byte[] { 0x62, 0x61, 0x64, 0x20, 0xff }, "b'bad \\xff'", "\"b'bad \\\\xff'\"")]
    [TestCase(new byte[] { 0x69, 0x74, 0x27, 0x73, 0x20, 0xff }, "b\"it's \\xff\"", "\"b\\\"it's \\\\xff\\\"\"")]
    [TestCase(new byte[] { 0x61, 0x27, 0x62, 0x22, 0xff }, "b'a\\'b\"\\xff'", "\"b'a\\\\'b\\\"\\\\xff'\"")]
    [TestCase(new byte[] { 0x5c, 0x09, 0x0a, 0x0d, 0x00, 0x7f, 0x80 }, "b'\\\\\\t\\n\\r\\x00\\x7f\\x80'", "\"b'\\\\\\\\\\\\t\\\\n\\\\r\\\\x00\\\\x7f\\\\x80'\"")]
    public void Non_utf8_values_become_python_bytes_literals(byte[] raw, string literal, string json)
    {
        var buffer = new byte[PythonJson.MaxBytesLiteralLength(raw.Length)];
        int n = PythonJson.WriteBytesLiteral(raw, buffer);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(PythonJson.BytesLiteralText(raw), Is.EqualTo(literal));
            Assert.That(Encoding.ASCII.GetString(buffer, 0, n), Is.EqualTo(json));
        }
    }

    [Test]
    public void Worst_case_expansions_fit_the_bounds()
    {
        byte[] controls = [.. Enumerable.Repeat((byte)1, 100)];
        byte[] astral = [.. Enumerable.Range(0, 25).SelectMany(_ => "\U0001F600"u8.ToArray())];
        byte[] quotes = [.. Enumerable.Repeat((byte)'"', 100), (byte)'\''];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(PythonJson.WriteString(controls, new byte[PythonJson.MaxStringLength(100)]), Is.EqualTo(602));
            Assert.That(PythonJson.WriteString(astral, new byte[PythonJson.MaxStringLength(100)]), Is.EqualTo(302));
            Assert.That(PythonJson.WriteBytesLiteral([.. controls.Select(_ => (byte)0)], new byte[PythonJson.MaxBytesLiteralLength(100)]), Is.EqualTo(505));
            Assert.That(PythonJson.WriteBytesLiteral([.. quotes, 0xff], new byte[PythonJson.MaxBytesLiteralLength(102)]), Is.LessThanOrEqualTo(PythonJson.MaxBytesLiteralLength(102)));
        }
    }

    private static string? ParseInt(byte[] input)
    {
        var destination = new byte[input.Length + 1];
        return PythonInt.TryParse(input, destination, out int written) ? Encoding.ASCII.GetString(destination, 0, written) : null;
    }

    private static string? FormatUuid(string input)
    {
        var destination = new byte[PythonUuid.FormattedLength];
        return PythonUuid.TryFormat(Encoding.UTF8.GetBytes(input), destination) ? Encoding.ASCII.GetString(destination) : null;
    }
}
