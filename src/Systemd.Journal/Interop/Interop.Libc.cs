using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [LibraryImport("libc", EntryPoint = "free")]
        internal static unsafe partial void free(void* ptr);
    }
}
