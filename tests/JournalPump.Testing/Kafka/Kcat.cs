using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace JournalPump.Testing.Kafka;

/// <summary>
/// Reads a topic with the <c>kcat</c> command (Debian package <c>kcat</c>, its own librdkafka and
/// OpenSSL), out of process: a cross-check of <see cref="KafkaRecords"/> that shares no code with
/// the client under test.
/// </summary>
/// <remarks>
/// kcat runs as <c>kcat -C -t topic -o beginning -e -q -J</c>: every partition from its first offset,
/// exiting at the end of all of them, one JSON envelope per record. The envelope is binary-safe in
/// practice and decoded byte by byte here: kcat escapes quote, backslash and control characters
/// (newline included, so one record is one line) and copies every other byte as is, valid UTF-8 or
/// not; keys and values come back byte-identical.
/// </remarks>
public static class Kcat
{
    private static readonly string[] Candidates = ["/usr/bin/kcat", "/usr/bin/kafkacat"];

    /// <summary>The kcat binary.</summary>
    public static string Path =>
        Candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("kcat is not installed (Debian package kcat).");

    /// <summary>
    /// Reads every record of the topic, ordered by partition and offset. A topic that does not exist
    /// reads as no records.
    /// </summary>
    /// <param name="bootstrapServers">The cluster.</param>
    /// <param name="topic">The topic.</param>
    /// <param name="timeout">Guard against a hung kcat (killed, then <see cref="TimeoutException"/>).</param>
    /// <param name="settings">More librdkafka settings passed with <c>-X</c>, e.g. <see cref="KafkaTlsFront.ClientSettings"/>.</param>
    public static IReadOnlyList<KafkaRecord> Consume(
        string bootstrapServers, string topic, TimeSpan timeout, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var psi = new ProcessStartInfo(Path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[] { "-C", "-b", bootstrapServers, "-t", topic, "-o", "beginning", "-e", "-q", "-J" })
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            if (name != "bootstrap.servers")
            {
                psi.ArgumentList.Add("-X");
                psi.ArgumentList.Add(name + "=" + value);
            }
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start kcat");
        var output = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill();
            process.WaitForExit();
            throw new TimeoutException($"kcat did not finish reading {topic} within {timeout}: {error.GetAwaiter().GetResult()}");
        }

        copy.GetAwaiter().GetResult();
        string stderr = error.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            if (stderr.Contains("Unknown topic or partition", StringComparison.Ordinal))
            {
                return [];
            }

            throw new InvalidOperationException($"kcat failed ({process.ExitCode}): {stderr}");
        }

        var records = new List<KafkaRecord>();
        ReadOnlySpan<byte> rest = output.ToArray();
        while (!rest.IsEmpty)
        {
            int newline = rest.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? [] : rest[(newline + 1)..];
            if (!line.IsEmpty)
            {
                records.Add(Envelope.Parse(line));
            }
        }

        return [.. records.OrderBy(r => r.Partition).ThenBy(r => r.Offset)];
    }

    /// <summary>
    /// Decoder of kcat's <c>-J</c> envelope: <c>{"topic":str,"partition":int,"offset":int,
    /// "tstype":"create|logappend|unknown","ts":int,"broker":int,"headers":[name,value,...],"key":str|null,
    /// "payload":str|null}</c> (headers may also be an object). Strings decode to raw bytes.
    /// </summary>
    private ref struct Envelope
    {
        private readonly ReadOnlySpan<byte> _json;
        private int _at;

        private Envelope(ReadOnlySpan<byte> json) => _json = json;

        public static KafkaRecord Parse(ReadOnlySpan<byte> line)
        {
            var parser = new Envelope(line);
            try
            {
                return parser.Record();
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                throw new FormatException("Cannot decode kcat envelope: " + Encoding.UTF8.GetString(line), e);
            }
        }

        private KafkaRecord Record()
        {
            int partition = -1;
            long offset = -1, timestamp = -1;
            byte[]? key = null, payload = null;
            var type = TimestampType.NotAvailable;
            var headers = new List<KeyValuePair<string, byte[]>>();

            Expect((byte)'{');
            while (true)
            {
                string name = Encoding.UTF8.GetString(String()!);
                Expect((byte)':');
                switch (name)
                {
                    case "partition": partition = checked((int)Number()); break;
                    case "offset": offset = Number(); break;
                    case "ts": timestamp = Number(); break;
                    case "tstype":
                        type = Encoding.ASCII.GetString(String()!) switch
                        {
                            "create" => TimestampType.CreateTime,
                            "logappend" => TimestampType.LogAppendTime,
                            _ => TimestampType.NotAvailable,
                        };
                        break;
                    case "key": key = String(); break;
                    case "payload": payload = String(); break;
                    case "headers": Headers(headers); break;
                    default: Skip(); break;
                }

                if (Peek() == (byte)',')
                {
                    _at++;
                    continue;
                }

                Expect((byte)'}');
                break;
            }

            return new KafkaRecord(partition, offset, key, payload ?? [], headers, type, timestamp);
        }

        private void Headers(List<KeyValuePair<string, byte[]>> headers)
        {
            byte open = Peek();
            byte close = open == (byte)'[' ? (byte)']' : (byte)'}';
            Expect(open);
            if (Peek() == close)
            {
                _at++;
                return;
            }

            while (true)
            {
                string name = Encoding.UTF8.GetString(String() ?? []);
                if (open == (byte)'[')
                {
                    Expect((byte)',');
                }
                else
                {
                    Expect((byte)':');
                }

                headers.Add(KeyValuePair.Create(name, String() ?? []));
                if (Peek() == (byte)',')
                {
                    _at++;
                    continue;
                }

                Expect(close);
                return;
            }
        }

        private readonly byte Peek() => _json[_at];

        private void Expect(byte c)
        {
            if (_json[_at] != c)
            {
                throw new FormatException($"expected '{(char)c}' at {_at}");
            }

            _at++;
        }

        private long Number()
        {
            int start = _at;
            while (_at < _json.Length && (_json[_at] == (byte)'-' || char.IsAsciiDigit((char)_json[_at])))
            {
                _at++;
            }

            return long.Parse(_json[start.._at], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        private void Skip()
        {
            switch (Peek())
            {
                case (byte)'"': String(); break;
                case (byte)'n': Literal("null"u8); break;
                case (byte)'t': Literal("true"u8); break;
                case (byte)'f': Literal("false"u8); break;
                case (byte)'[' or (byte)'{':
                    byte close = Peek() == (byte)'[' ? (byte)']' : (byte)'}';
                    _at++;
                    while (Peek() != close)
                    {
                        Skip();
                        if (Peek() is (byte)',' or (byte)':')
                        {
                            _at++;
                        }
                    }

                    _at++;
                    break;
                default: Number(); break;
            }
        }

        private void Literal(ReadOnlySpan<byte> literal)
        {
            if (!_json[_at..].StartsWith(literal))
            {
                throw new FormatException($"unexpected token at {_at}");
            }

            _at += literal.Length;
        }

        /// <summary>A JSON string as the bytes it stands for (escapes decoded, other bytes copied), or null for <c>null</c>.</summary>
        private byte[]? String()
        {
            if (Peek() == (byte)'n')
            {
                Literal("null"u8);
                return null;
            }

            Expect((byte)'"');
            var bytes = new List<byte>();
            while (true)
            {
                byte c = _json[_at++];
                if (c == (byte)'"')
                {
                    return [.. bytes];
                }

                if (c != (byte)'\\')
                {
                    bytes.Add(c);
                    continue;
                }

                byte escape = _json[_at++];
                switch (escape)
                {
                    case (byte)'"' or (byte)'\\' or (byte)'/': bytes.Add(escape); break;
                    case (byte)'b': bytes.Add(0x08); break;
                    case (byte)'f': bytes.Add(0x0C); break;
                    case (byte)'n': bytes.Add(0x0A); break;
                    case (byte)'r': bytes.Add(0x0D); break;
                    case (byte)'t': bytes.Add(0x09); break;
                    case (byte)'u':
                        int code = int.Parse(_json.Slice(_at, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                        _at += 4;
                        if (char.IsHighSurrogate((char)code) && _json[_at..].StartsWith("\\u"u8))
                        {
                            int low = int.Parse(_json.Slice(_at + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                            _at += 6;
                            code = char.ConvertToUtf32((char)code, (char)low);
                        }

                        bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(code)));
                        break;
                    default: throw new FormatException($"unknown escape '\\{(char)escape}' at {_at - 1}");
                }
            }
        }
    }
}
