using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace JournalPump.Core.Filtering;

/// <summary>
/// A journalpump regular expression (Python <c>re</c> syntax, spec 5.1) translated to and compiled as a
/// .NET <see cref="System.Text.RegularExpressions.Regex"/>. Matching is unanchored (<c>re.search</c>).
/// </summary>
/// <remarks>
/// <para>
/// Translation: <c>(?P&lt;name&gt;...)</c> named groups, <c>(?P=name)</c> and <c>\1</c> back-references,
/// <c>(?(name)yes|no)</c>, <c>\Z</c> (absolute end), <c>\UXXXXXXXX</c>, octal escapes, <c>{,n}</c>
/// repeats, global and scoped flags (<c>i m s x u</c>, verbose mode included) and Python's character class
/// rules. Every capturing group is numbered as Python numbers it (left to right, named or not), so
/// <c>\1</c> means the same group in both dialects; use <see cref="GroupNumberFromName"/> for names.
/// </para>
/// <para>
/// Rejected with a <see cref="FilterConfigurationException"/>: what Python itself rejects (bad escapes such
/// as <c>\p</c> or <c>\z</c>, unknown or open group references, .NET-only <c>(?&lt;name&gt;...)</c>),
/// and what .NET cannot express: <c>(?a)</c> ASCII and <c>(?L)</c> locale matching, <c>\N{name}</c>,
/// possessive quantifiers (<c>x*+</c>; write <c>(?&gt;x*)</c>), characters beyond U+FFFF inside
/// <c>[...]</c>. With <see cref="PythonRegexOptions.UseLinearEngine"/> also back-references,
/// look-arounds, atomic groups and conditionals (as RE2 does).
/// </para>
/// <para>
/// Known differences that remain: .NET works on UTF-16 code units, so <c>.</c> matches half of a
/// character beyond U+FFFF; <c>\w</c>, <c>\s</c> and <c>\b</c> use .NET's Unicode tables, which differ
/// from Python's for a few code points (combining marks, U+001C-U+001F).
/// </para>
/// </remarks>
public sealed class PythonRegex
{
    private readonly KeyValuePair<string, int>[] _namedGroups;

    /// <summary>Translates and compiles <paramref name="pattern"/>.</summary>
    /// <param name="pattern">The Python pattern.</param>
    /// <param name="options">Engine and match timeout; <see langword="null"/> for <see cref="PythonRegexOptions.Default"/>.</param>
    /// <exception cref="FilterConfigurationException">The pattern cannot be translated or does not compile.</exception>
    public PythonRegex(string pattern, PythonRegexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        options ??= PythonRegexOptions.Default;
        var translation = PatternTranslator.Translate(pattern);
        Pattern = pattern;
        TranslatedPattern = translation.Pattern;
        GroupCount = translation.GroupCount;
        _namedGroups = translation.Names;

        var regexOptions = RegexOptions.CultureInvariant | (options.UseLinearEngine ? RegexOptions.NonBacktracking : RegexOptions.Compiled);
        try
        {
            Regex = new Regex(TranslatedPattern, regexOptions, options.MatchTimeout);
        }
        catch (NotSupportedException e)
        {
            throw new FilterConfigurationException(
                $"pattern '{pattern}' is not supported by the linear-time engine (USE_RE2 / regex_engine \"linear\"): {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new FilterConfigurationException($"pattern '{pattern}' does not compile: {e.Message}", e);
        }
    }

    /// <summary>The pattern as configured (Python syntax).</summary>
    public string Pattern { get; }

    /// <summary>The .NET pattern it was translated to.</summary>
    public string TranslatedPattern { get; }

    /// <summary>The compiled regex; group numbers are Python's.</summary>
    public Regex Regex { get; }

    /// <summary>The number of capturing groups (Python's <c>re.Pattern.groups</c>).</summary>
    public int GroupCount { get; }

    /// <summary>The named groups and their numbers, in definition order (Python's <c>groupindex</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, int>> NamedGroups => _namedGroups;

    /// <summary>Translates a Python pattern to .NET syntax without compiling it.</summary>
    /// <param name="pattern">The Python pattern.</param>
    /// <returns>The .NET pattern.</returns>
    /// <exception cref="FilterConfigurationException">The pattern uses syntax that cannot be translated.</exception>
    public static string Translate(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return PatternTranslator.Translate(pattern).Pattern;
    }

    /// <summary>The number of the named group <paramref name="name"/>, or -1.</summary>
    /// <param name="name">The Python group name.</param>
    /// <returns>The group number.</returns>
    public int GroupNumberFromName(string name)
    {
        foreach (var (groupName, number) in _namedGroups)
        {
            if (string.Equals(groupName, name, StringComparison.Ordinal))
            {
                return number;
            }
        }

        return -1;
    }

    /// <summary>
    /// Translates a Python <c>re.sub</c> replacement template (spec 5.5) for this pattern into a .NET
    /// replacement string: <c>\1</c>...<c>\99</c>, <c>\g&lt;n&gt;</c> and <c>\g&lt;name&gt;</c> become
    /// <c>${n}</c>, <c>\n \t \r \f \v \a \b \\</c> and octal escapes become their characters, other
    /// escaped punctuation stays as written (backslash included), and <c>$</c> becomes <c>$$</c>.
    /// </summary>
    /// <param name="template">The Python template.</param>
    /// <returns>The .NET replacement string, for <see cref="Regex.Replace(string, string)"/>.</returns>
    /// <exception cref="FilterConfigurationException">The template has a bad escape or refers to a group the pattern lacks.</exception>
    public string TranslateReplacement(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var sb = new StringBuilder(template.Length + 8);
        int i = 0;
        while (i < template.Length)
        {
            char c = template[i++];
            if (c != '\\')
            {
                sb.Append(c == '$' ? "$$" : c.ToString());
                continue;
            }

            if (i >= template.Length)
            {
                throw TemplateError(template, "bad escape (end of template)");
            }

            c = template[i++];
            switch (c)
            {
                case 'g':
                {
                    if (i >= template.Length || template[i] != '<')
                    {
                        throw TemplateError(template, "missing < after \\g");
                    }

                    int end = template.IndexOf('>', i + 1);
                    if (end < 0)
                    {
                        throw TemplateError(template, "missing >, unterminated group name");
                    }

                    string name = template[(i + 1)..end];
                    i = end + 1;
                    int group;
                    if (name.Length == 0)
                    {
                        throw TemplateError(template, "missing group name");
                    }
                    else if (PatternTranslator.IsIdentifier(name))
                    {
                        group = GroupNumberFromName(name);
                        if (group < 0)
                        {
                            throw TemplateError(template, $"unknown group name '{name}'");
                        }
                    }
                    else if (name.All(char.IsAsciiDigit) && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out group))
                    {
                        CheckGroup(template, group);
                    }
                    else
                    {
                        throw TemplateError(template, $"bad character in group name '{name}'");
                    }

                    AppendGroup(sb, group);
                    break;
                }

                case '0':
                {
                    int value = 0;
                    for (int n = 0; n < 2 && i < template.Length && IsOctal(template[i]); n++)
                    {
                        value = (value * 8) + (template[i++] - '0');
                    }

                    AppendLiteral(sb, (char)value);
                    break;
                }

                case >= '1' and <= '9':
                {
                    if (i < template.Length && char.IsAsciiDigit(template[i]))
                    {
                        if (IsOctal(c) && IsOctal(template[i]) && i + 1 < template.Length && IsOctal(template[i + 1]))
                        {
                            int octal = ((c - '0') * 64) + ((template[i] - '0') * 8) + (template[i + 1] - '0');
                            if (octal > 255)
                            {
                                throw TemplateError(template, $"octal escape value \\{c}{template[i]}{template[i + 1]} outside of range 0-0o377");
                            }

                            i += 2;
                            AppendLiteral(sb, (char)octal);
                            break;
                        }

                        int two = ((c - '0') * 10) + (template[i++] - '0');
                        CheckGroup(template, two);
                        AppendGroup(sb, two);
                        break;
                    }

                    CheckGroup(template, c - '0');
                    AppendGroup(sb, c - '0');
                    break;
                }

                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case '\\': sb.Append('\\'); break;
                default:
                    if (char.IsAsciiLetter(c))
                    {
                        throw TemplateError(template, $"bad escape \\{c}");
                    }

                    // Python keeps an unknown escape of a non-letter as written, backslash included.
                    sb.Append('\\');
                    AppendLiteral(sb, c);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => Pattern;

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    private static void AppendGroup(StringBuilder sb, int group) =>
        sb.Append("${").Append(group.ToString(CultureInfo.InvariantCulture)).Append('}');

    private static void AppendLiteral(StringBuilder sb, char c) => sb.Append(c == '$' ? "$$" : c.ToString());

    private void CheckGroup(string template, int group)
    {
        if (group > GroupCount)
        {
            throw TemplateError(template, $"invalid group reference {group}: pattern '{Pattern}' has {GroupCount} group(s)");
        }
    }

    private static FilterConfigurationException TemplateError(string template, string reason) =>
        new($"replacement '{template}' cannot be translated: {reason}");
}
