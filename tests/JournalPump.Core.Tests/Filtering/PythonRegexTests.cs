using System.Text.RegularExpressions;
using JournalPump.Core.Filtering;

namespace JournalPump.Core.Tests.Filtering;

public sealed class PythonRegexTests
{
    [TestCase("(?P<user>\\w+)@", "(?<1>\\w+)@")]
    [TestCase("(a)(?P<n>b)(?P=n)\\1", "(?<1>a)(?<2>b)\\k<2>\\k<1>")]
    [TestCase("end\\Z", "end\\z")]
    [TestCase("x{,3}", "x{0,3}")]
    [TestCase("x{2,}y{,}", "x{2,}y{0,}")]
    [TestCase("a{", "a\\{")]
    [TestCase("a{}", "a\\{\\}")]
    [TestCase("a{x}", "a\\{x\\}")]
    [TestCase("\\U0001F600", "(?:\\uD83D\\uDE00)")]
    [TestCase("\\U000000e9", "é")]
    [TestCase("\\0", "\\u0000")]
    [TestCase("\\101", "A")]
    [TestCase("(?#comment (with parens)x", "x")]
    [TestCase("(?i)abc", "(?i)abc")]
    [TestCase("(?u)abc", "abc")]
    [TestCase("(?x) a b # comment\n c", "abc")]
    [TestCase("(?i:a)(?-i:b)", "(?i:a)(?-i:b)")]
    [TestCase("(?P<x>a)?(?(x)b|c)", "(?<1>a)?(?(1)b|c)")]
    [TestCase("(?=a)(?!b)(?<=c)(?<!d)(?>e)", "(?=a)(?!b)(?<=c)(?<!d)(?>e)")]
    [TestCase("[a-c-e]", "[a-c\\u002De]")]
    [TestCase("[]a]", "[\\u005Da]")]
    [TestCase("[^]]", "[^\\u005D]")]
    [TestCase("[a-]", "[a\\-]")]
    [TestCase("[[a]", "[\\u005Ba]")]
    [TestCase("[a-z-[aeiou]]", "[a-z\\u002D\\u005Baeiou]\\]")]
    [TestCase("[\\d\\s.]", "[\\d\\s\\u002E]")]
    [TestCase("\\.\\$", "\\.\\$")]
    [TestCase("\\é", "é")]
    public void Translates_python_syntax(string python, string dotnet) =>
        Assert.That(PythonRegex.Translate(python), Is.EqualTo(dotnet));

    [TestCase("(?<name>x)", "(?P<name>")]
    [TestCase("\\p{L}", "bad escape \\p")]
    [TestCase("\\z", "bad escape \\z")]
    [TestCase("\\G", "bad escape \\G")]
    [TestCase("(?a)\\w", "ASCII-only")]
    [TestCase("(?L)x", "locale")]
    [TestCase("\\N{EM DASH}", "\\N{...}")]
    [TestCase("a++", "possessive")]
    [TestCase("a*+", "possessive")]
    [TestCase("a{1,2}+", "possessive")]
    [TestCase("[\\U0001F600]", "beyond U+FFFF")]
    [TestCase("(a)\\2", "invalid group reference 2")]
    [TestCase("(a\\1)", "open group")]
    [TestCase("(?P=nope)", "unknown group name")]
    [TestCase("(?P<a>x)(?P<a>y)", "redefinition")]
    [TestCase("(?P<1a>x)", "bad character in group name")]
    [TestCase("x(?i)", "global flags not at the start")]
    [TestCase("(abc", "unterminated subpattern")]
    [TestCase("abc)", "unbalanced parenthesis")]
    [TestCase("[abc", "unterminated character set")]
    [TestCase("[z-a]", "bad character range")]
    [TestCase("[\\d-z]", "bad character range")]
    [TestCase("\\x4", "incomplete escape")]
    [TestCase("x{3,2}", "min repeat greater than max repeat")]
    [TestCase("(?'n'x)", "unknown extension")]
    public void Rejects_what_cannot_be_translated_with_a_clear_error(string python, string reason)
    {
        var e = Assert.Throws<FilterConfigurationException>(() => _ = new PythonRegex(python));
        Assert.That(e!.Message, Does.Contain(python).And.Contain(reason));
    }

    [TestCase("(a)\\1")]
    [TestCase("(?P<n>a)(?P=n)")]
    [TestCase("(?=a)")]
    [TestCase("(?<!a)b")]
    [TestCase("(?>a)")]
    [TestCase("(a)?(?(1)b|c)")]
    public void Linear_engine_rejects_backreferences_lookarounds_and_atomic_groups(string python)
    {
        Assert.That(() => new PythonRegex(python), Throws.Nothing, "the backtracking engine takes it");
        var e = Assert.Throws<FilterConfigurationException>(() => _ = new PythonRegex(python, new PythonRegexOptions { UseLinearEngine = true }));
        Assert.That(e!.Message, Does.Contain("linear-time engine").And.Contain(python));
    }

    [Test]
    public void Linear_engine_runs_named_groups()
    {
        var regex = new PythonRegex("Accepted (?P<method>\\w+) for (?P<user>\\S+)", new PythonRegexOptions { UseLinearEngine = true });
        var match = regex.Regex.Match("x Accepted publickey for alice from");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(regex.Regex.Options.HasFlag(RegexOptions.NonBacktracking), Is.True);
            Assert.That(match.Groups[regex.GroupNumberFromName("user")].Value, Is.EqualTo("alice"));
            Assert.That(match.Groups[regex.GroupNumberFromName("method")].Value, Is.EqualTo("publickey"));
        }
    }

    [Test]
    public void Groups_are_numbered_left_to_right_like_python_named_or_not()
    {
        var regex = new PythonRegex("(?P<a>x)(y)(?P<b>z)");
        var match = regex.Regex.Match("xyz");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(regex.GroupCount, Is.EqualTo(3));
            Assert.That(regex.NamedGroups, Is.EqualTo(new[] { new KeyValuePair<string, int>("a", 1), new KeyValuePair<string, int>("b", 3) }));
            Assert.That(match.Groups[2].Value, Is.EqualTo("y"));
            Assert.That(regex.Regex.Replace("xyz", regex.TranslateReplacement("\\2\\g<b>\\g<a>")), Is.EqualTo("yzx"));
        }
    }

    [Test]
    public void Python_Z_is_the_absolute_end_and_dollar_allows_a_final_newline()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(new PythonRegex("a\\Z").Regex.IsMatch("a\n"), Is.False);
            Assert.That(new PythonRegex("a$").Regex.IsMatch("a\n"), Is.True);
            Assert.That(new PythonRegex("^\\d+$").Regex.IsMatch("١٢٣"), Is.True, "\\d is Unicode");
        }
    }

    [TestCase("\\1[REDACTED]", "${1}[REDACTED]")]
    [TestCase("\\g<scheme>://\\g<user>:***@", "${1}://${2}:***@")]
    [TestCase("\\g<0>", "${0}")]
    [TestCase("cost $5", "cost $$5")]
    [TestCase("a\\nb\\tc\\\\d", "a\nb\tc\\d")]
    [TestCase("\\.\\-", "\\.\\-")]
    [TestCase("\\101", "A")]
    [TestCase("\\0", "\0")]
    public void Translates_replacement_templates(string python, string dotnet)
    {
        var regex = new PythonRegex("(?P<scheme>a)(?P<user>b)(c)");
        Assert.That(regex.TranslateReplacement(python), Is.EqualTo(dotnet));
    }

    [TestCase("\\4", "invalid group reference 4")]
    [TestCase("\\g<nope>", "unknown group name 'nope'")]
    [TestCase("\\g<1", "missing >")]
    [TestCase("\\g1", "missing <")]
    [TestCase("\\g<>", "missing group name")]
    [TestCase("\\g<-1>", "bad character in group name")]
    [TestCase("\\q", "bad escape \\q")]
    [TestCase("tail\\", "end of template")]
    public void Rejects_bad_replacement_templates(string python, string reason)
    {
        var regex = new PythonRegex("(a)(b)(?P<c>c)");
        var e = Assert.Throws<FilterConfigurationException>(() => regex.TranslateReplacement(python));
        Assert.That(e!.Message, Does.Contain(reason).And.Contain(python));
    }

    [Test]
    public void Unmatched_groups_are_replaced_by_nothing_and_empty_matches_follow_python()
    {
        var alternatives = new PythonRegex("(A)|(B)");
        var stars = new PythonRegex("x*");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(alternatives.Regex.Replace("AB", alternatives.TranslateReplacement("<\\1\\2>")), Is.EqualTo("<A><B>"));
            Assert.That(stars.Regex.Replace("abxd", stars.TranslateReplacement("-")), Is.EqualTo("-a-b--d-"), "re.sub('x*', '-', 'abxd')");
        }
    }

    [Test]
    public void Catastrophic_pattern_times_out_instead_of_hanging()
    {
        var regex = new PythonRegex("(a+)+$", new PythonRegexOptions { MatchTimeout = TimeSpan.FromMilliseconds(50) });
        Assert.That(() => regex.Regex.IsMatch(new string('a', 5000) + "b"), Throws.TypeOf<RegexMatchTimeoutException>());
    }

    [Test]
    public void Linear_engine_runs_the_catastrophic_pattern_in_linear_time()
    {
        var regex = new PythonRegex("(a+)+$", new PythonRegexOptions { UseLinearEngine = true, MatchTimeout = TimeSpan.FromSeconds(30) });
        Assert.That(regex.Regex.IsMatch(new string('a', 5000) + "b"), Is.False);
    }

    [Test]
    public void From_environment_reads_USE_RE2_as_any_non_empty_value()
    {
        // Reading only: the variable is not set in the test process.
        bool expected = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PythonRegexOptions.LinearEngineEnvironmentVariable));
        Assert.That(PythonRegexOptions.FromEnvironment().UseLinearEngine, Is.EqualTo(expected));
    }
}
