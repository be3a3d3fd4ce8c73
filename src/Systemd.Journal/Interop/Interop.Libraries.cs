internal static partial class Interop
{
    internal static class Libraries
    {
        /// <summary>
        /// The runtime soname: servers ship <c>libsystemd.so.0</c> without the <c>libsystemd.so</c>
        /// development symlink.
        /// </summary>
        internal const string Libsystemd = "libsystemd.so.0";
    }
}
