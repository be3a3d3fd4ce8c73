using System.Globalization;
using System.Text;

namespace JournalPump.Core.Filtering;

/// <summary>
/// Python <c>re</c> pattern syntax to .NET, following CPython's <c>sre_parse</c> rules. Every capturing
/// group is written as an explicitly numbered .NET group (<c>(?&lt;3&gt;...)</c>) because .NET numbers
/// named groups after unnamed ones while Python numbers all groups left to right.
/// </summary>
internal sealed class PatternTranslator
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private readonly string _p;
    private readonly StringBuilder _out;
    private readonly List<KeyValuePair<string, int>> _names = [];
    private readonly Stack<(int Group, bool Verbose)> _open = new();
    private int _i;
    private int _groupCount;
    private bool _verbose;
    private bool _onlyFlagsSoFar = true;

    private PatternTranslator(string pattern)
    {
        _p = pattern;
        _out = new StringBuilder(pattern.Length + 16);
    }

    internal readonly record struct Result(string Pattern, int GroupCount, KeyValuePair<string, int>[] Names);

    public static Result Translate(string pattern)
    {
        var translator = new PatternTranslator(pattern);
        translator.Run();
        return new Result(translator._out.ToString(), translator._groupCount, [.. translator._names]);
    }

    /// <summary>Python's <c>str.isidentifier()</c>, close enough for group names.</summary>
    public static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (char c in name)
        {
            var category = char.GetUnicodeCategory(c);
            if (!(char.IsLetterOrDigit(c) || c == '_' || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.ConnectorPunctuation))
            {
                return false;
            }
        }

        return true;
    }

    private void Run()
    {
        while (_i < _p.Length)
        {
            char c = _p[_i];
            if (_verbose && (c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f'))
            {
                _i++;
                continue;
            }

            if (_verbose && c == '#')
            {
                while (_i < _p.Length && _p[_i] != '\n')
                {
                    _i++;
                }

                continue;
            }

            if (c != '(')
            {
                _onlyFlagsSoFar = false;
            }

            switch (c)
            {
                case '\\':
                    Escape();
                    break;
                case '[':
                    CharacterClass();
                    break;
                case '(':
                    OpenGroup();
                    break;
                case ')':
                    if (_open.Count == 0)
                    {
                        throw Error("unbalanced parenthesis");
                    }

                    _verbose = _open.Pop().Verbose;
                    _out.Append(')');
                    _i++;
                    break;
                case '*' or '+' or '?':
                    _out.Append(c);
                    _i++;
                    AfterQuantifier();
                    break;
                case '{':
                    Brace();
                    break;
                case '}' or ']':
                    _out.Append('\\').Append(c);
                    _i++;
                    break;
                default:
                    _out.Append(c);
                    _i++;
                    break;
            }
        }

        if (_open.Count > 0)
        {
            throw Error("missing ), unterminated subpattern");
        }
    }

    private void AfterQuantifier()
    {
        if (_i < _p.Length && _p[_i] == '?')
        {
            _out.Append('?');
            _i++;
        }

        if (_i < _p.Length && _p[_i] == '+')
        {
            throw Error("possessive quantifiers (x*+, x++, x?+, x{m,n}+) have no .NET form; write an atomic group (?>x*) instead");
        }
    }

    private void Brace()
    {
        // Python: {m}, {m,}, {,n}, {m,n} and {,} repeat; anything else is a literal '{'.
        int start = _i;
        int j = _i + 1;
        if (j < _p.Length && _p[j] != '}')
        {
            int loStart = j;
            while (j < _p.Length && char.IsAsciiDigit(_p[j]))
            {
                j++;
            }

            string lo = _p[loStart..j];
            string? hi = null;
            if (j < _p.Length && _p[j] == ',')
            {
                int hiStart = ++j;
                while (j < _p.Length && char.IsAsciiDigit(_p[j]))
                {
                    j++;
                }

                hi = _p[hiStart..j];
            }

            if (j < _p.Length && _p[j] == '}')
            {
                _i = j + 1;
                _out.Append('{').Append(lo.Length == 0 ? "0" : lo);
                if (hi is not null)
                {
                    _out.Append(',').Append(hi);
                }

                _out.Append('}');
                if (hi is { Length: > 0 } && lo.Length > 0 && BigCompare(hi, lo) < 0)
                {
                    throw Error($"min repeat greater than max repeat in '{_p[start.._i]}'");
                }

                AfterQuantifier();
                return;
            }
        }

        _out.Append("\\{");
        _i = start + 1;
    }

    private static int BigCompare(string a, string b)
    {
        a = a.TrimStart('0');
        b = b.TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
    }

    private void OpenGroup()
    {
        int at = _i;
        _i++;
        if (_i >= _p.Length || _p[_i] != '?')
        {
            _onlyFlagsSoFar = false;
            OpenCapturing();
            return;
        }

        _i++;
        if (_i >= _p.Length)
        {
            throw Error("unexpected end of pattern after (?");
        }

        char c = _p[_i];
        if (c != '#' && !IsFlag(c) && c != '-')
        {
            _onlyFlagsSoFar = false;
        }

        switch (c)
        {
            case 'P':
                _i++;
                if (_i < _p.Length && _p[_i] == '<')
                {
                    _i++;
                    string name = ReadName('>');
                    if (GroupNumber(name) >= 0)
                    {
                        throw Error($"redefinition of group name '{name}'");
                    }

                    _names.Add(new(name, _groupCount + 1));
                    OpenCapturing();
                    return;
                }

                if (_i < _p.Length && _p[_i] == '=')
                {
                    _i++;
                    string name = ReadName(')');
                    int group = GroupNumber(name);
                    if (group < 0)
                    {
                        throw Error($"unknown group name '{name}'");
                    }

                    BackReference(group);
                    return;
                }

                throw Error("unknown extension ?P" + (_i < _p.Length ? _p[_i].ToString() : ""));
            case ':':
                Push(-1, _verbose);
                _out.Append("(?:");
                _i++;
                return;
            case '=' or '!':
                Push(-1, _verbose);
                _out.Append("(?").Append(c);
                _i++;
                return;
            case '<':
                if (_i + 1 < _p.Length && _p[_i + 1] is '=' or '!')
                {
                    Push(-1, _verbose);
                    _out.Append("(?<").Append(_p[_i + 1]);
                    _i += 2;
                    return;
                }

                throw Error("(?<name>...) is .NET syntax that Python rejects; write (?P<name>...)");
            case '>':
                Push(-1, _verbose);
                _out.Append("(?>");
                _i++;
                return;
            case '#':
            {
                int end = _p.IndexOf(')', _i);
                if (end < 0)
                {
                    throw Error("missing ), unterminated comment");
                }

                _i = end + 1;
                return;
            }

            case '(':
            {
                _i++;
                int end = _p.IndexOf(')', _i);
                if (end < 0)
                {
                    throw Error("missing ), unterminated name");
                }

                string name = _p[_i..end];
                _i = end + 1;
                int group;
                if (IsIdentifier(name))
                {
                    group = GroupNumber(name);
                    if (group < 0)
                    {
                        throw Error($"unknown group name '{name}'");
                    }
                }
                else if (name.Length > 0 && name.All(char.IsAsciiDigit) && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out group))
                {
                    if (group == 0)
                    {
                        throw Error("bad group number 0");
                    }
                }
                else
                {
                    throw Error($"bad character in group name '{name}'");
                }

                Push(-1, _verbose);
                _out.Append("(?(").Append(group.ToString(CultureInfo.InvariantCulture)).Append(')');
                return;
            }

            default:
                if (IsFlag(c) || c == '-')
                {
                    Flags(at);
                    return;
                }

                throw Error($"unknown extension ?{c}");
        }
    }

    private static bool IsFlag(char c) => c is 'a' or 'i' or 'L' or 'm' or 's' or 'u' or 'x';

    private void Flags(int at)
    {
        var on = new StringBuilder();
        var off = new StringBuilder();
        bool verbose = _verbose;
        bool negative = false;
        while (_i < _p.Length && (IsFlag(_p[_i]) || (_p[_i] == '-' && !negative)))
        {
            char f = _p[_i++];
            if (f == '-')
            {
                negative = true;
                continue;
            }

            switch (f)
            {
                case 'a':
                    throw Error("the ASCII-only flag (?a) has no .NET equivalent");
                case 'L':
                    throw Error("the locale flag (?L) is only valid for bytes patterns");
                case 'u':
                    if (negative)
                    {
                        throw Error("bad inline flag: cannot turn off flag 'u'");
                    }

                    break;
                case 'x':
                    verbose = !negative;
                    break;
                default:
                    (negative ? off : on).Append(f);
                    break;
            }
        }

        if (_i >= _p.Length)
        {
            throw Error("missing -, : or ) after inline flags");
        }

        if (_p[_i] == ')')
        {
            if (negative)
            {
                throw Error("missing : after turning off inline flags");
            }

            if (!_onlyFlagsSoFar)
            {
                throw Error($"global flags not at the start of the expression at position {at}");
            }

            _i++;
            _verbose = verbose;
            if (on.Length > 0)
            {
                _out.Append("(?").Append(on).Append(')');
            }

            return;
        }

        if (_p[_i] != ':')
        {
            throw Error($"unknown flag '{_p[_i]}'");
        }

        _i++;
        _onlyFlagsSoFar = false;
        Push(-1, _verbose);
        _verbose = verbose;
        _out.Append("(?").Append(on);
        if (off.Length > 0)
        {
            _out.Append('-').Append(off);
        }

        _out.Append(':');
    }

    private void OpenCapturing()
    {
        _groupCount++;
        Push(_groupCount, _verbose);
        _out.Append("(?<").Append(_groupCount.ToString(CultureInfo.InvariantCulture)).Append('>');
    }

    private void Push(int group, bool verbose) => _open.Push((group, verbose));

    private string ReadName(char terminator)
    {
        int end = _p.IndexOf(terminator, _i);
        if (end < 0)
        {
            throw Error($"missing {terminator}, unterminated name");
        }

        string name = _p[_i..end];
        if (name.Length == 0)
        {
            throw Error("missing group name");
        }

        if (!IsIdentifier(name))
        {
            throw Error($"bad character in group name '{name}'");
        }

        _i = end + 1;
        return name;
    }

    private int GroupNumber(string name)
    {
        foreach (var (n, number) in _names)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                return number;
            }
        }

        return -1;
    }

    private void BackReference(int group)
    {
        if (group > _groupCount)
        {
            throw Error($"invalid group reference {group}");
        }

        foreach (var (open, _) in _open)
        {
            if (open == group)
            {
                throw Error($"cannot refer to an open group ({group})");
            }
        }

        _out.Append("\\k<").Append(group.ToString(CultureInfo.InvariantCulture)).Append('>');
    }

    private void Escape()
    {
        _i++;
        if (_i >= _p.Length)
        {
            throw Error("bad escape (end of pattern)");
        }

        char c = _p[_i++];
        switch (c)
        {
            case 'A' or 'b' or 'B' or 'd' or 'D' or 's' or 'S' or 'w' or 'W' or 'a' or 'f' or 'n' or 'r' or 't' or 'v':
                _out.Append('\\').Append(c);
                return;
            case 'Z':
                _out.Append("\\z");
                return;
            case 'x' or 'u' or 'U' or 'N':
                Literal(HexEscape(c));
                return;
            case '0':
            {
                int value = 0;
                for (int n = 0; n < 2 && _i < _p.Length && IsOctal(_p[_i]); n++)
                {
                    value = (value * 8) + (_p[_i++] - '0');
                }

                Literal(value);
                return;
            }

            case >= '1' and <= '9':
                if (_i < _p.Length && char.IsAsciiDigit(_p[_i]))
                {
                    if (IsOctal(c) && IsOctal(_p[_i]) && _i + 1 < _p.Length && IsOctal(_p[_i + 1]))
                    {
                        int octal = ((c - '0') * 64) + ((_p[_i] - '0') * 8) + (_p[_i + 1] - '0');
                        if (octal > 255)
                        {
                            throw Error($"octal escape value \\{c}{_p[_i]}{_p[_i + 1]} outside of range 0-0o377");
                        }

                        _i += 2;
                        Literal(octal);
                        return;
                    }

                    BackReference(((c - '0') * 10) + (_p[_i++] - '0'));
                    return;
                }

                BackReference(c - '0');
                return;
            default:
                if (char.IsAsciiLetter(c))
                {
                    throw Error($"bad escape \\{c}");
                }

                Literal(c);
                return;
        }
    }

    private int HexEscape(char kind)
    {
        if (kind == 'N')
        {
            throw Error("named Unicode escapes \\N{...} cannot be translated; write the character or \\uXXXX");
        }

        int digits = kind switch { 'x' => 2, 'u' => 4, _ => 8 };
        int value = 0;
        if (_i + digits > _p.Length || _p.AsSpan(_i, digits).ContainsAnyExcept(HexDigits)
            || !int.TryParse(_p.AsSpan(_i, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value))
        {
            throw Error($"incomplete escape \\{kind}");
        }

        _i += digits;
        if (value > 0x10FFFF)
        {
            throw Error($"bad escape \\{kind}{_p.Substring(_i - digits, digits)}");
        }

        return value;
    }

    private void Literal(int codePoint)
    {
        if (codePoint > 0xFFFF)
        {
            string pair = char.ConvertFromUtf32(codePoint);
            _out.Append("(?:").Append(Hex(pair[0])).Append(Hex(pair[1])).Append(')');
            return;
        }

        char c = (char)codePoint;
        if (char.IsAsciiLetterOrDigit(c) || c == '_' || (c > 0x7f && !char.IsControl(c) && !char.IsWhiteSpace(c) && !char.IsSurrogate(c)))
        {
            _out.Append(c);
        }
        else if (c is > ' ' and < (char)0x7f)
        {
            _out.Append('\\').Append(c);
        }
        else
        {
            _out.Append(Hex(c));
        }
    }

    private static string Hex(char c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    private void CharacterClass()
    {
        _i++;
        _out.Append('[');
        if (_i < _p.Length && _p[_i] == '^')
        {
            _out.Append('^');
            _i++;
        }

        bool first = true;
        while (true)
        {
            if (_i >= _p.Length)
            {
                throw Error("unterminated character set");
            }

            if (_p[_i] == ']' && !first)
            {
                _i++;
                _out.Append(']');
                return;
            }

            first = false;
            var (lo, category) = ClassItem();
            if (_i < _p.Length && _p[_i] == '-')
            {
                _i++;
                if (_i >= _p.Length)
                {
                    throw Error("unterminated character set");
                }

                if (_p[_i] == ']')
                {
                    AppendClassItem(lo, category);
                    _out.Append("\\-]");
                    _i++;
                    return;
                }

                var (hi, hiCategory) = ClassItem();
                if (category is not null || hiCategory is not null)
                {
                    throw Error("bad character range: a class escape such as \\d cannot be a range end");
                }

                if (hi < lo)
                {
                    throw Error("bad character range");
                }

                AppendClassItem(lo, null);
                _out.Append('-');
                AppendClassItem(hi, null);
                continue;
            }

            AppendClassItem(lo, category);
        }
    }

    private void AppendClassItem(int codePoint, string? category)
    {
        if (category is not null)
        {
            _out.Append(category);
            return;
        }

        if (codePoint > 0xFFFF)
        {
            throw Error($"U+{codePoint:X} is beyond U+FFFF: .NET cannot match it inside a character class");
        }

        char c = (char)codePoint;
        if (char.IsAsciiLetterOrDigit(c))
        {
            _out.Append(c);
        }
        else
        {
            _out.Append(Hex(c));
        }
    }

    private (int CodePoint, string? Category) ClassItem()
    {
        char c = _p[_i++];
        if (c != '\\')
        {
            if (char.IsHighSurrogate(c) && _i < _p.Length && char.IsLowSurrogate(_p[_i]))
            {
                return (char.ConvertToUtf32(c, _p[_i++]), null);
            }

            return (c, null);
        }

        if (_i >= _p.Length)
        {
            throw Error("bad escape (end of pattern)");
        }

        c = _p[_i++];
        switch (c)
        {
            case 'd' or 'D' or 's' or 'S' or 'w' or 'W':
                return (0, "\\" + c);
            case 'a': return (7, null);
            case 'b': return (8, null);
            case 'f': return (12, null);
            case 'n': return (10, null);
            case 'r': return (13, null);
            case 't': return (9, null);
            case 'v': return (11, null);
            case 'x' or 'u' or 'U' or 'N':
                return (HexEscape(c), null);
            case >= '0' and <= '7':
            {
                int value = c - '0';
                for (int n = 0; n < 2 && _i < _p.Length && IsOctal(_p[_i]); n++)
                {
                    value = (value * 8) + (_p[_i++] - '0');
                }

                if (value > 255)
                {
                    throw Error("octal escape value outside of range 0-0o377");
                }

                return (value, null);
            }

            default:
                if (char.IsAsciiLetterOrDigit(c))
                {
                    throw Error($"bad escape \\{c}");
                }

                if (char.IsHighSurrogate(c) && _i < _p.Length && char.IsLowSurrogate(_p[_i]))
                {
                    return (char.ConvertToUtf32(c, _p[_i++]), null);
                }

                return (c, null);
        }
    }

    private FilterConfigurationException Error(string reason) =>
        new($"pattern '{_p}' cannot be translated: {reason} (at position {Math.Min(_i, _p.Length)})");
}
