using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace JournalPump.Host.Config;

/// <summary>
/// The default checks for Python regexes and <c>re.sub</c> templates (spec 5.1, 5.5), used until the host wires Core's translator in.
/// A pattern is translated to .NET (<c>(?P&lt;n&gt;</c> → <c>(?&lt;n&gt;</c>, <c>(?P=n)</c> → <c>\k&lt;n&gt;</c>, <c>\Z</c> → <c>\z</c>) and compiled.
/// </summary>
internal static class PythonPatterns
{
    /// <summary>Translates the Python-only constructs of <paramref name="pattern"/> to .NET syntax.</summary>
    public static string TranslateToDotNet(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var result = new StringBuilder(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[i + 1];
                result.Append('\\').Append(next == 'Z' ? 'z' : next);
                i++;
            }
            else if (c == '(' && string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0)
            {
                result.Append("(?<");
                i += 3;
            }
            else if (c == '(' && string.CompareOrdinal(pattern, i, "(?P=", 0, 4) == 0 && pattern.IndexOf(')', i) is var close and > 0)
            {
                result.Append("\\k<").Append(pattern, i + 4, close - i - 4).Append('>');
                i = close;
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    /// <summary>Compiles the translated pattern; <paramref name="useRe2"/> selects <see cref="RegexOptions.NonBacktracking"/> as upstream's <c>USE_RE2</c>.</summary>
    /// <exception cref="ArgumentException">The pattern does not compile.</exception>
    /// <exception cref="NotSupportedException">The pattern uses a construct the non-backtracking engine lacks.</exception>
    public static Regex Compile(string pattern, bool useRe2) =>
        new(TranslateToDotNet(pattern), RegexOptions.CultureInvariant | (useRe2 ? RegexOptions.NonBacktracking : RegexOptions.None));

    /// <summary>A <c>ValidatePattern</c> hook: null when the pattern compiles, else why not.</summary>
    public static Func<string, string?> PatternValidator(bool useRe2) => pattern =>
    {
        try
        {
            _ = Compile(pattern, useRe2);
            return null;
        }
        catch (RegexParseException e)
        {
            return $"invalid regular expression: {Words(e.Error.ToString())} at offset {e.Offset}";
        }
        catch (NotSupportedException)
        {
            return "regular expression not supported with USE_RE2 (no back-references or look-around)";
        }
        catch (ArgumentException e)
        {
            return $"invalid regular expression: {e.Message}";
        }
    };

    /// <summary>
    /// A <c>ValidateReplacement</c> hook: checks a Python <c>re.sub</c> template against its (valid) pattern the way Python does —
    /// group references must exist, <c>\g&lt;...&gt;</c> must be well formed, unknown escapes of ASCII letters are errors.
    /// </summary>
    public static Func<string, string, string?> ReplacementValidator(bool useRe2) => (pattern, replacement) =>
    {
        Regex regex;
        try
        {
            regex = Compile(pattern, useRe2);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null; // The pattern's own problem is reported on the pattern.
        }

        var groupCount = regex.GetGroupNumbers().Length - 1;
        var names = regex.GetGroupNames().Where(n => !int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out _)).ToHashSet(StringComparer.Ordinal);
        return CheckTemplate(replacement, groupCount, names);
    };

    private static string? CheckTemplate(string template, int groupCount, HashSet<string> names)
    {
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '\\')
            {
                continue;
            }

            if (i + 1 >= template.Length)
            {
                return "bad escape (end of pattern) at the end of the replacement";
            }

            var c = template[++i];
            if (c == 'g')
            {
                if (i + 1 >= template.Length || template[i + 1] != '<')
                {
                    return $"missing < after \\g at position {i - 1}";
                }

                var close = template.IndexOf('>', i + 2);
                if (close < 0)
                {
                    return $"missing > after \\g< at position {i - 1}";
                }

                var name = template[(i + 2)..close];
                if (name.Length > 0 && name.All(char.IsAsciiDigit))
                {
                    var number = int.Parse(name, NumberStyles.None, CultureInfo.InvariantCulture);
                    if (number > groupCount)
                    {
                        return $"invalid group reference {number} at position {i - 1} (the pattern has {Groups(groupCount)})";
                    }
                }
                else if (name.Length == 0 || !IsIdentifier(name))
                {
                    return $"bad character in group name '{name}' at position {i - 1}";
                }
                else if (!names.Contains(name))
                {
                    return $"unknown group name '{name}' at position {i - 1}";
                }

                i = close;
            }
            else if (c == '0')
            {
                // Octal escape: up to two more octal digits.
                for (var k = 0; k < 2 && i + 1 < template.Length && template[i + 1] is >= '0' and <= '7'; k++)
                {
                    i++;
                }
            }
            else if (char.IsAsciiDigit(c))
            {
                var start = i;
                if (i + 1 < template.Length && char.IsAsciiDigit(template[i + 1]))
                {
                    if (c <= '7' && template[i + 1] <= '7' && i + 2 < template.Length && template[i + 2] is >= '0' and <= '7')
                    {
                        var octal = ((c - '0') * 64) + ((template[i + 1] - '0') * 8) + (template[i + 2] - '0');
                        if (octal > 0xff)
                        {
                            return $"octal escape value \\{template.AsSpan(i, 3)} outside of range 0-0o377 at position {i - 1}";
                        }

                        i += 2;
                        continue;
                    }

                    i++;
                }

                var number = int.Parse(template.AsSpan(start, i - start + 1), NumberStyles.None, CultureInfo.InvariantCulture);
                if (number > groupCount)
                {
                    return $"invalid group reference {number} at position {start - 1} (the pattern has {Groups(groupCount)})";
                }
            }
            else if (char.IsAsciiLetter(c) && c is not ('a' or 'b' or 'f' or 'n' or 'r' or 't' or 'v'))
            {
                return $"bad escape \\{c} at position {i - 1}";
            }
        }

        return null;
    }

    private static string Words(string pascalCase) =>
        string.Concat(pascalCase.Select((ch, i) => i > 0 && char.IsUpper(ch) ? " " + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));

    private static string Groups(int count) => count == 1 ? "1 group" : $"{count} groups";

    private static bool IsIdentifier(string name) =>
        !char.IsAsciiDigit(name[0]) && name.All(ch => ch == '_' || char.IsLetterOrDigit(ch));
}
