namespace JournalPump.Core.Formatting;

/// <summary>The conversions journalpump applies by raw field name (spec 4.2).</summary>
internal enum FieldConverter
{
    None,
    Integer,
    Uuid,
    Realtime,
    Monotonic,
}

/// <summary>journalpump's <c>converters</c> table.</summary>
internal static class FieldConverters
{
    public static FieldConverter For(ReadOnlySpan<byte> rawName)
    {
        // Every converted name starts with '_' or one of C, M, P: a cheap first-byte test keeps the common
        // case (an unconverted field) to one comparison.
        if (rawName.IsEmpty || (rawName[0] != (byte)'_' && rawName[0] != (byte)'C' && rawName[0] != (byte)'M' && rawName[0] != (byte)'P'))
        {
            return FieldConverter.None;
        }

        if (rawName.SequenceEqual("PRIORITY"u8) || rawName.SequenceEqual("CODE_LINE"u8) || rawName.SequenceEqual("_PID"u8)
            || rawName.SequenceEqual("_GID"u8) || rawName.SequenceEqual("_AUDIT_ID"u8) || rawName.SequenceEqual("_AUDIT_LOGINUID"u8)
            || rawName.SequenceEqual("_AUDIT_SESSION"u8) || rawName.SequenceEqual("_AUDIT_TYPE"u8))
        {
            return FieldConverter.Integer;
        }

        if (rawName.SequenceEqual("MESSAGE_ID"u8) || rawName.SequenceEqual("_BOOT_ID"u8) || rawName.SequenceEqual("_MACHINE_ID"u8))
        {
            return FieldConverter.Uuid;
        }

        if (rawName.SequenceEqual("__REALTIME_TIMESTAMP"u8) || rawName.SequenceEqual("_SOURCE_REALTIME_TIMESTAMP"u8)
            || rawName.SequenceEqual("COREDUMP_TIMESTAMP"u8))
        {
            return FieldConverter.Realtime;
        }

        if (rawName.SequenceEqual("_SOURCE_MONOTONIC_TIMESTAMP"u8) || rawName.SequenceEqual("__MONOTONIC_TIMESTAMP"u8))
        {
            return FieldConverter.Monotonic;
        }

        return FieldConverter.None;
    }
}
