using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace JournalPump.Host.FileOutput;

/// <summary>Which file a path or an open handle names (device and inode), its size and whether it is a regular file.</summary>
/// <param name="Device">The device number (<c>st_dev</c>).</param>
/// <param name="Inode">The inode number.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="IsRegularFile">A regular file (not a device, FIFO or socket).</param>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, long Size, bool IsRegularFile)
{
    private const uint Mask = Interop.Libc.StatxType | Interop.Libc.StatxMode | Interop.Libc.StatxIno | Interop.Libc.StatxSize;

    /// <summary>Same device and inode.</summary>
    /// <param name="other">The other file.</param>
    /// <returns>Whether both name one file.</returns>
    public bool IsSameFile(FileIdentity other) => Device == other.Device && Inode == other.Inode;

    /// <summary><c>statx(path)</c>, following symbolic links.</summary>
    /// <param name="path">The path.</param>
    /// <param name="identity">The file, when found.</param>
    /// <param name="errno">The error otherwise (<c>ENOENT</c> = 2 when the path does not exist).</param>
    /// <returns>Whether the call succeeded.</returns>
    public static bool TryGet(string path, out FileIdentity identity, out int errno)
    {
        int rc = Interop.Libc.statx(Interop.Libc.AtFdCwd, path, 0, Mask, out var buffer);
        return Complete(rc, buffer, out identity, out errno);
    }

    /// <summary><c>statx(fd, "", AT_EMPTY_PATH)</c>: the open file itself, wherever it has been moved.</summary>
    /// <param name="handle">The open file.</param>
    /// <param name="identity">The file.</param>
    /// <param name="errno">The error, if any.</param>
    /// <returns>Whether the call succeeded.</returns>
    public static bool TryGet(SafeFileHandle handle, out FileIdentity identity, out int errno)
    {
        int rc = Interop.Libc.statx(handle, "", Interop.Libc.AtEmptyPath, Mask, out var buffer);
        return Complete(rc, buffer, out identity, out errno);
    }

    private static bool Complete(int rc, in Interop.Libc.StatxBuffer buffer, out FileIdentity identity, out int errno)
    {
        if (rc != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            identity = default;
            return false;
        }

        errno = 0;
        identity = new FileIdentity(
            Interop.Libc.MakeDev(buffer.DevMajor, buffer.DevMinor),
            buffer.Ino,
            (long)buffer.Size,
            (buffer.Mode & Interop.Libc.SIfMt) == Interop.Libc.SIfReg);
        return true;
    }
}
