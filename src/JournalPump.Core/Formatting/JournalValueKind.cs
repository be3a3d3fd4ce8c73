namespace JournalPump.Core.Formatting;

/// <summary>What a converted journal value is, and so how it is written as JSON (spec 4.2).</summary>
public enum JournalValueKind
{
    /// <summary>Valid UTF-8 text, written as a JSON string (also the dashed form of a converted UUID).</summary>
    Text,

    /// <summary>Bytes that are not valid UTF-8, written as the string of their Python <c>b'...'</c> literal.</summary>
    Bytes,

    /// <summary>An integer of any size, held as canonical decimal text and written as a JSON number.</summary>
    Number,

    /// <summary>Seconds as a double, written the way Python's <c>repr(float)</c> does.</summary>
    Seconds,

    /// <summary>JSON <c>null</c> (<c>_SOURCE_MONOTONIC_TIMESTAMP</c>).</summary>
    Null,
}
