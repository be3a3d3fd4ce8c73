using System.Text;

namespace JournalPump.Core.Metrics;

/// <summary>journalpump's sanitising of extra tags (search captures, static search tags, read-error tags).</summary>
public static class MetricTags
{
    /// <summary>Each run of characters other than letters, digits, <c>_</c> and <c>-</c> becomes <c>_</c>; leading and trailing <c>_</c> are stripped.</summary>
    /// <param name="name">The tag name.</param>
    /// <returns>The sanitised name.</returns>
    public static string SanitizeName(string name) =>
        Replace(name, static c => !(char.IsLetterOrDigit(c) || c == '_' || c == '-'));

    /// <summary>Each run of whitespace, <c>|</c>, <c>=</c> or <c>:</c> becomes <c>_</c>; leading and trailing <c>_</c> are stripped.</summary>
    /// <param name="value">The tag value.</param>
    /// <returns>The sanitised value.</returns>
    public static string SanitizeValue(string value) =>
        Replace(value, static c => char.IsWhiteSpace(c) || c is '|' or '=' or ':');

    private static string Replace(string text, Func<char, bool> replace)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        bool inRun = false;
        foreach (char c in text)
        {
            if (replace(c))
            {
                if (!inRun)
                {
                    sb.Append('_');
                    inRun = true;
                }
            }
            else
            {
                sb.Append(c);
                inRun = false;
            }
        }

        return sb.ToString().Trim('_');
    }
}
