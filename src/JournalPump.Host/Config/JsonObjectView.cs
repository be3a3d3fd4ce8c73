using System.Text.Json;

namespace JournalPump.Host.Config;

/// <summary>
/// A JSON object as Python's <c>json</c> reads it (a repeated key keeps its first position and takes its last value),
/// remembering which keys the loader looked at so the others can be reported as unknown.
/// </summary>
internal sealed class JsonObjectView
{
    private readonly List<KeyValuePair<string, JsonElement>> _members = [];
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private JsonObjectView(string path) => Path = path;

    /// <summary>The object's JSON path.</summary>
    public string Path { get; }

    /// <summary>The members in document order, duplicates merged.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonElement>> Members => _members;

    /// <summary>Keys not read by the loader, in document order.</summary>
    public IEnumerable<string> UnusedKeys => _members.Select(m => m.Key).Where(k => !_used.Contains(k));

    /// <summary>Wraps <paramref name="element"/> (an object); repeated keys are reported to <paramref name="problems"/>.</summary>
    public static JsonObjectView Create(JsonElement element, string path, ConfigProblems problems)
    {
        var view = new JsonObjectView(path);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (index.TryGetValue(property.Name, out var at))
            {
                view._members[at] = new(property.Name, property.Value);
                problems.Warning(ConfigProblems.Join(path, property.Name), "repeated key; the last value is used");
            }
            else
            {
                index[property.Name] = view._members.Count;
                view._members.Add(new(property.Name, property.Value));
            }
        }

        return view;
    }

    /// <summary>The value of <paramref name="key"/> including JSON null, marking the key as known.</summary>
    public bool TryGetRaw(string key, out JsonElement value)
    {
        _used.Add(key);
        foreach (var member in _members)
        {
            if (member.Key == key)
            {
                value = member.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The value of <paramref name="key"/>, or null when it is absent or JSON null (as Python's <c>dict.get</c> sees it); marks the key as known.</summary>
    public JsonElement? Get(string key) =>
        TryGetRaw(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>Whether <paramref name="key"/> is present with a non-null value; does not mark it.</summary>
    public bool Has(string key) => _members.Any(m => m.Key == key && m.Value.ValueKind != JsonValueKind.Null);

    /// <summary>Marks <paramref name="key"/> as known without reading it.</summary>
    public void MarkUsed(string key) => _used.Add(key);
}
