using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JournalPump.Host.Config;

/// <summary>
/// Writes configuration values as indented JSON for <c>--print-config</c>, masking secrets: secret keys become <c>"***"</c>,
/// passwords inside URLs (<c>https://user:pass@host</c>) become <c>***</c>, and inside free-form values (<c>extra_field_values</c>)
/// keys that look like secrets are masked too.
/// </summary>
internal sealed partial class ConfigJsonWriter : IDisposable
{
    /// <summary>What a masked secret is written as.</summary>
    public const string Mask = "***";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Utf8JsonWriter _writer;

    /// <summary>Writes to <paramref name="output"/>.</summary>
    public ConfigJsonWriter(Stream output) => _writer = new Utf8JsonWriter(output, WriterOptions);

    /// <summary>Whether a key names a secret: passwords, tokens, private keys, credentials.</summary>
    public static bool IsSecretKey(string key) =>
        key.Contains("password", StringComparison.OrdinalIgnoreCase)
        || key.Contains("passwd", StringComparison.OrdinalIgnoreCase)
        || key.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || key.Contains("token", StringComparison.OrdinalIgnoreCase)
        || key.Contains("private_key", StringComparison.OrdinalIgnoreCase)
        || key.Contains("credential", StringComparison.OrdinalIgnoreCase)
        || key.Contains("api_key", StringComparison.OrdinalIgnoreCase)
        || key.Contains("key.pem", StringComparison.OrdinalIgnoreCase)
        || key.Equals("sasl_plain_password", StringComparison.OrdinalIgnoreCase);

    /// <summary>Replaces the password of a URL's user information (<c>scheme://user:pass@</c>) with <c>***</c>.</summary>
    public static string MaskUrl(string value) => UrlPassword().Replace(value, "${prefix}:" + Mask + "@");

    /// <summary>Starts the document or a nameless object.</summary>
    public void StartObject() => _writer.WriteStartObject();

    /// <summary>Starts an object member.</summary>
    public void StartObject(string name) => _writer.WriteStartObject(name);

    /// <summary>Ends an object.</summary>
    public void EndObject() => _writer.WriteEndObject();

    /// <summary>Starts a list member.</summary>
    public void StartArray(string name) => _writer.WriteStartArray(name);

    /// <summary>Ends a list.</summary>
    public void EndArray() => _writer.WriteEndArray();

    /// <summary>A string list item.</summary>
    public void Item(string value) => _writer.WriteStringValue(value);

    /// <summary>A string member, or null.</summary>
    public void String(string name, string? value)
    {
        if (value is null)
        {
            _writer.WriteNull(name);
        }
        else
        {
            _writer.WriteString(name, value);
        }
    }

    /// <summary>A URL member whose password, if any, is masked.</summary>
    public void Url(string name, string? value) => String(name, value is null ? null : MaskUrl(value));

    /// <summary>A secret member: <c>"***"</c> when set, null when not.</summary>
    public void Secret(string name, string? value) => String(name, value is null ? null : Mask);

    /// <summary>A null member.</summary>
    public void Null(string name) => _writer.WriteNull(name);

    /// <summary>A boolean member.</summary>
    public void Bool(string name, bool value) => _writer.WriteBoolean(name, value);

    /// <summary>An integer member, or null.</summary>
    public void Integer(string name, long? value)
    {
        if (value is { } number)
        {
            _writer.WriteNumber(name, number);
        }
        else
        {
            _writer.WriteNull(name);
        }
    }

    /// <summary>A number member (seconds and other non-integers).</summary>
    public void Number(string name, double value) => _writer.WriteNumber(name, value);

    /// <summary>An object of strings, or null; with <paramref name="mask"/>, secret-looking keys and URL passwords are masked.</summary>
    public void StringMap(string name, IReadOnlyList<KeyValuePair<string, string>>? map, bool mask = true)
    {
        if (map is null)
        {
            _writer.WriteNull(name);
            return;
        }

        _writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            _writer.WriteString(key, !mask ? value : IsSecretKey(key) ? Mask : MaskUrl(value));
        }

        _writer.WriteEndObject();
    }

    /// <summary>A free-form JSON member (as configured), with secret-looking keys and URL passwords masked.</summary>
    public void Json(string name, JsonElement? value)
    {
        _writer.WritePropertyName(name);
        if (value is { } element)
        {
            WriteMasked(element);
        }
        else
        {
            _writer.WriteNullValue();
        }
    }

    /// <summary>Flushes to the stream.</summary>
    public void Flush() => _writer.Flush();

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();

    private void WriteMasked(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                _writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    _writer.WritePropertyName(property.Name);
                    if (IsSecretKey(property.Name) && property.Value.ValueKind != JsonValueKind.Null)
                    {
                        _writer.WriteStringValue(Mask);
                    }
                    else
                    {
                        WriteMasked(property.Value);
                    }
                }

                _writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                _writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteMasked(item);
                }

                _writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                _writer.WriteStringValue(MaskUrl(element.GetString()!));
                break;
            default:
                element.WriteTo(_writer);
                break;
        }
    }

    [GeneratedRegex(@"(?<prefix>\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s/@:]*):[^\s/@]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();
}
