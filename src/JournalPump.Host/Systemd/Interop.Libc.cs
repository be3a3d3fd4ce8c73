using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace JournalPump.Host;

/// <summary>The few libc calls the daemon needs that .NET does not expose: file identity, O_APPEND, the signal mask.</summary>
internal static partial class Interop
{
    internal static partial class Libc
    {
        private const string LibraryName = "libc";

        internal const int AtFdCwd = -100;
        internal const int AtEmptyPath = 0x1000;
        internal const uint StatxType = 0x1;
        internal const uint StatxMode = 0x2;
        internal const uint StatxIno = 0x100;
        internal const uint StatxSize = 0x200;
        internal const uint StatxBasicStats = 0x7ff;

        internal const int FGetFl = 3;
        internal const int FSetFl = 4;

        // Same value on x86_64 and arm64 (the asm-generic value, 02000).
        internal const int OAppend = 0x400;

        internal const ushort SIfMt = 0xF000;
        internal const ushort SIfReg = 0x8000;

        /// <summary>
        /// <c>struct statx</c>: unlike <c>struct stat</c>, one layout on every Linux architecture (256 bytes),
        /// so no per-architecture struct is needed. Only the fields read are named.
        /// </summary>
        [StructLayout(LayoutKind.Explicit, Size = 256)]
        internal struct StatxBuffer
        {
            [FieldOffset(0)] public uint Mask;
            [FieldOffset(28)] public ushort Mode;
            [FieldOffset(32)] public ulong Ino;
            [FieldOffset(40)] public ulong Size;
            [FieldOffset(136)] public uint DevMajor;
            [FieldOffset(140)] public uint DevMinor;
        }

        // int statx(int dirfd, const char *pathname, int flags, unsigned int mask, struct statx *statxbuf); glibc >= 2.28.
        [LibraryImport(LibraryName, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int statx(int dirfd, string pathname, int flags, uint mask, out StatxBuffer statxbuf);

        // The handle is passed as the dirfd with AT_EMPTY_PATH: fstat of an open file. A SafeHandle marshals as
        // a pointer-sized value; the callee reads the low 32 bits of the register, which hold the fd.
        [LibraryImport(LibraryName, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int statx(SafeFileHandle dirfd, string pathname, int flags, uint mask, out StatxBuffer statxbuf);

        // int fcntl(int fd, int cmd, ...): variadic, but on x86_64 and arm64 Linux an int argument is passed
        // exactly like a fixed one, which is how the runtime's own shims and Tmds.LibC call it too.
        [LibraryImport(LibraryName, EntryPoint = "fcntl", SetLastError = true)]
        internal static partial int fcntl(SafeFileHandle fd, int cmd, int arg);

        // The SafeHandle is add-ref'ed for the call, so a concurrent close cannot pull the fd away.
        [LibraryImport(LibraryName, EntryPoint = "fsync", SetLastError = true)]
        internal static partial int fsync(SafeFileHandle fd);

        // Signal numbers and pthread_sigmask's "how" are the same on x86_64 and arm64 Linux.
        internal const int SigHup = 1;
        internal const int SigInt = 2;
        internal const int SigTerm = 15;
        internal const int SigBlock = 0;
        internal const int SigUnblock = 1;

        /// <summary>glibc's <c>sigset_t</c>: 1024 bits.</summary>
        [StructLayout(LayoutKind.Sequential, Size = 128)]
        internal struct SigSet
        {
        }

        // sighandler_t signal(int signum, sighandler_t handler); SIG_DFL is 0.
        [LibraryImport(LibraryName, EntryPoint = "signal", SetLastError = true)]
        internal static partial nint signal(int signum, nint handler);

        [LibraryImport(LibraryName, EntryPoint = "sigemptyset", SetLastError = true)]
        internal static partial int sigemptyset(out SigSet set);

        [LibraryImport(LibraryName, EntryPoint = "sigaddset", SetLastError = true)]
        internal static partial int sigaddset(ref SigSet set, int signum);

        // Returns the error number (0 on success) rather than setting errno.
        [LibraryImport(LibraryName, EntryPoint = "pthread_sigmask")]
        internal static partial int pthread_sigmask(int how, in SigSet set, out SigSet oldset);

        /// <summary>The device number as the kernel and <c>JOURNAL_STREAM</c> print it (glibc's <c>makedev</c>).</summary>
        internal static ulong MakeDev(uint major, uint minor) =>
            ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8)
            | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
    }
}
