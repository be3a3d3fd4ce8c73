using Systemd.Journal;

namespace JournalPump.Core.Filtering;

/// <summary>
/// A reader's <c>units_to_match</c> (spec 5.4): journal matches <c>_SYSTEMD_UNIT=&lt;unit&gt;</c>, exact
/// bytes, no globs, OR-ed by libsystemd. Entries of other units are never read (and do not move the read
/// cursor); <c>_SYSTEMD_USER_UNIT</c> is not matched.
/// </summary>
public sealed class UnitsToMatch
{
    private readonly string[] _units;

    /// <summary>Creates the matcher.</summary>
    /// <param name="units">The unit names, as in the config.</param>
    /// <exception cref="FilterConfigurationException">A unit name is null.</exception>
    public UnitsToMatch(IEnumerable<string> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        _units = [.. units];
        if (Array.IndexOf(_units, null) >= 0)
        {
            throw new FilterConfigurationException("units_to_match holds a null unit name");
        }
    }

    /// <summary>The unit names.</summary>
    public IReadOnlyList<string> Units => _units;

    /// <summary>True when there is no unit, so nothing is added to the journal.</summary>
    public bool IsEmpty => _units.Length == 0;

    /// <summary>
    /// Adds the matches to <paramref name="journal"/>, on its thread. Upstream adds them after the initial
    /// seek; call this after seeking, and again whenever the journal is re-opened.
    /// </summary>
    /// <param name="journal">The reader's journal.</param>
    public void ApplyTo(Journal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        foreach (string unit in _units)
        {
            journal.AddMatch("_SYSTEMD_UNIT", unit);
        }
    }
}
