using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JournalPump.Core.Formatting;

/// <summary>
/// Renders configuration values (<c>extra_field_values</c>) as Python's <c>json.dumps(json.loads(text))</c>
/// would: numbers with a point or exponent become floats (<c>repr</c>), other numbers stay integers of
/// any size, strings are escaped like record strings. Runs once per sender, not per entry.
/// </summary>
internal static class PythonJsonNode
{
    public static byte[] Render(JsonNode? node)
    {
        var output = new List<byte>();
        Write(node, output);
        return [.. output];
    }

    public static byte[] RenderString(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var buffer = new byte[PythonJson.MaxStringLength(utf8.Length)];
        int n = PythonJson.WriteString(utf8, buffer);
        return buffer[..n];
    }

    private static void Write(JsonNode? node, List<byte> output)
    {
        switch (node)
        {
            case null:
                output.AddRange("null"u8);
                break;
            case JsonObject obj:
                output.Add((byte)'{');
                bool first = true;
                foreach (var (key, value) in obj)
                {
                    if (!first)
                    {
                        output.AddRange(", "u8);
                    }

                    first = false;
                    output.AddRange(RenderString(key));
                    output.AddRange(": "u8);
                    Write(value, output);
                }

                output.Add((byte)'}');
                break;
            case JsonArray array:
                output.Add((byte)'[');
                for (int i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        output.AddRange(", "u8);
                    }

                    Write(array[i], output);
                }

                output.Add((byte)']');
                break;
            case JsonValue value:
                WriteValue(value, output);
                break;
        }
    }

    private static void WriteValue(JsonValue value, List<byte> output)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                output.AddRange(RenderString(value.GetValue<string>()));
                break;
            case JsonValueKind.True:
                output.AddRange("true"u8);
                break;
            case JsonValueKind.False:
                output.AddRange("false"u8);
                break;
            case JsonValueKind.Number:
                // From the number's JSON text, as json.loads reads it (a CLR double 1.0 serialises as 1).
                WriteNumberText(value.TryGetValue(out JsonElement element) ? element.GetRawText() : value.ToJsonString(), output);

                break;
            default:
                output.AddRange("null"u8);
                break;
        }
    }

    private static void WriteNumberText(string text, List<byte> output)
    {
        if (text.AsSpan().IndexOfAny(".eE") >= 0)
        {
            WriteFloat(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture), output);
            return;
        }

        // A JSON integer: Python keeps it exact; -0 is 0.
        output.AddRange(Encoding.ASCII.GetBytes(text.TrimStart('-').TrimStart('0').Length == 0 ? "0" : text));
    }

    private static void WriteFloat(double value, List<byte> output)
    {
        Span<byte> buffer = stackalloc byte[PythonFloat.MaxLength];
        int n = PythonFloat.Format(value, buffer);
        foreach (byte b in buffer[..n])
        {
            output.Add(b);
        }
    }
}
