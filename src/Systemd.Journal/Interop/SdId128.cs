using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static partial class Libsystemd
    {
        /// <summary><c>sd_id128_t</c>: 16 bytes, passed by value as two 64-bit words.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct SdId128
        {
            internal ulong Low;
            internal ulong High;

            internal static SdId128 FromGuid(Guid id)
            {
                // The journal's textual id is the 16 bytes in order, which is the big-endian Guid layout.
                SdId128 result = default;
                id.TryWriteBytes(MemoryMarshal.AsBytes(new Span<SdId128>(ref result)), bigEndian: true, out _);
                return result;
            }

            internal readonly Guid ToGuid()
            {
                var copy = this;
                return new Guid(MemoryMarshal.AsBytes(new ReadOnlySpan<SdId128>(ref copy)), bigEndian: true);
            }
        }
    }
}
