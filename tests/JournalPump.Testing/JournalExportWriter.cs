using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace JournalPump.Testing;

/// <summary>Writes entries in systemd's journal export format (https://systemd.io/JOURNAL_EXPORT_FORMATS/).</summary>
public static class JournalExportWriter
{
    /// <summary>Writes the entries, each followed by an empty line.</summary>
    public static void Write(Stream stream, IEnumerable<ExportEntry> entries)
    {
        var buffered = new BufferedStream(stream, 1 << 16);
        Span<byte> length = stackalloc byte[8];
        foreach (var entry in entries)
        {
            foreach (var (name, value) in entry.Fields)
            {
                buffered.Write(Encoding.ASCII.GetBytes(name));
                if (NeedsBinaryForm(value))
                {
                    // NAME\n, 64-bit little-endian length, raw bytes, \n
                    buffered.WriteByte((byte)'\n');
                    BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)value.Length);
                    buffered.Write(length);
                    buffered.Write(value);
                }
                else
                {
                    buffered.WriteByte((byte)'=');
                    buffered.Write(value);
                }

                buffered.WriteByte((byte)'\n');
            }

            buffered.WriteByte((byte)'\n');
        }

        buffered.Flush();
    }

    /// <summary>A value that holds a newline, another control character or invalid UTF-8 is written in the binary form.</summary>
    public static bool NeedsBinaryForm(ReadOnlySpan<byte> value)
    {
        foreach (byte b in value)
        {
            if (b < 0x20 && b != (byte)'\t')
            {
                return true;
            }
        }

        return !Utf8.IsValid(value);
    }
}
