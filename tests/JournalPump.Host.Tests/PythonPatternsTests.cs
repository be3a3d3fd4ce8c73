using JournalPump.Host.Config;

namespace JournalPump.Host.Tests;

public sealed class PythonPatternsTests
{
    [TestCase(@"(?P<user>\w+)", @"(?<user>\w+)")]
    [TestCase(@"(?P<a>x)(?P=a)", @"(?<a>x)\k<a>")]
    [TestCase(@"end\Z", @"end\z")]
    [TestCase(@"\\Z", @"\\Z")]
    [TestCase(@"\(?P<x>", @"\(?P<x>")]
    public void Python_syntax_is_translated(string python, string dotnet) =>
        Assert.That(PythonPatterns.TranslateToDotNet(python), Is.EqualTo(dotnet));

    [TestCase(@"(?P<a>x)(?P=a)", false, null)]
    [TestCase(@"(?P<a>x)(?P=a)", true, "not supported with USE_RE2")]
    [TestCase(@"a[b", false, "invalid regular expression: unterminated")]
    public void Patterns_are_compiled(string pattern, bool useRe2, string? fragment)
    {
        var problem = PythonPatterns.PatternValidator(useRe2)(pattern);
        Assert.That(problem, fragment is null ? Is.Null : Does.Contain(fragment));
    }

    [TestCase(@"(token=)([A-Za-z0-9]+)", @"\1[REDACTED]", null)]
    [TestCase(@"(?P<scheme>\w+)://(?P<user>\w+):(?P<pw>[^@]+)@", @"\g<scheme>://\g<user>:***@", null)]
    [TestCase(@"(?P<d>\d{4})-1234", @"[\g<0>]", null)]
    [TestCase(@"\|\|", @"\n", null)]
    [TestCase(@"(A)|(B)", @"<\1\2>", null)]
    [TestCase(@"x", @"\&literal \$", null)]
    [TestCase(@"x", @"\101", null)]
    [TestCase(@"(a)", @"\2", "invalid group reference 2")]
    [TestCase(@"(a)", @"\g<2>", "invalid group reference 2")]
    [TestCase(@"(a)", @"\g<b>", "unknown group name 'b'")]
    [TestCase(@"(a)", @"\g<1", "missing >")]
    [TestCase(@"(a)", @"\gx", "missing <")]
    [TestCase(@"(a)", @"\d", @"bad escape \d")]
    [TestCase(@"(a)", @"trailing\", "bad escape (end of pattern)")]
    [TestCase(@"(a)", @"\777", "octal escape value")]
    public void Replacement_templates_are_checked_like_python(string pattern, string replacement, string? fragment)
    {
        var problem = PythonPatterns.ReplacementValidator(useRe2: false)(pattern, replacement);
        Assert.That(problem, fragment is null ? Is.Null : Does.Contain(fragment));
    }
}
