using Microsoft.Win32.SafeHandles;

namespace Systemd.Journal;

/// <summary>Owns one <c>sd_journal</c> object; releasing the handle calls <c>sd_journal_close</c>.</summary>
internal sealed class SafeJournalHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeJournalHandle()
        : base(ownsHandle: true)
    {
    }

    internal SafeJournalHandle(nint handle)
        : base(ownsHandle: true) => SetHandle(handle);

    protected override bool ReleaseHandle()
    {
        Interop.Libsystemd.sd_journal_close(handle);
        return true;
    }
}
