using System.Text;

namespace JournalPump.Core.Formatting;

/// <summary>
/// One converted value of a <see cref="JournalRecord"/> field. The span points into the record's buffer and
/// is valid until the record is next changed.
/// </summary>
public readonly ref struct JournalValue
{
    internal JournalValue(JournalValueKind kind, ReadOnlySpan<byte> bytes, double number)
    {
        Kind = kind;
        Bytes = bytes;
        Seconds = number;
    }

    /// <summary>The kind of value.</summary>
    public JournalValueKind Kind { get; }

    /// <summary>
    /// <see cref="JournalValueKind.Text"/>: the UTF-8 text. <see cref="JournalValueKind.Bytes"/>: the raw bytes.
    /// <see cref="JournalValueKind.Number"/>: the canonical decimal text (optional <c>-</c>, no leading zeros).
    /// Otherwise empty.
    /// </summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>The seconds of a <see cref="JournalValueKind.Seconds"/> value; 0 otherwise.</summary>
    public double Seconds { get; }

    /// <summary>
    /// The value as Python's <c>str()</c> shows it (what upstream's regexes see): the text, the
    /// <c>b'...'</c> literal of non-UTF-8 bytes, the decimal integer, the float's <c>repr</c>, or <c>None</c>.
    /// Allocates; meant for filters that need a <see cref="string"/>, not for the formatting path.
    /// </summary>
    /// <returns>The text.</returns>
    public string ToPythonString()
    {
        switch (Kind)
        {
            case JournalValueKind.Text:
            case JournalValueKind.Number:
                return Encoding.UTF8.GetString(Bytes);
            case JournalValueKind.Bytes:
                return PythonJson.BytesLiteralText(Bytes);
            case JournalValueKind.Seconds:
                Span<byte> text = stackalloc byte[PythonFloat.MaxLength];
                int n = PythonFloat.Format(Seconds, text);
                return Encoding.ASCII.GetString(text[..n]);
            default:
                return "None";
        }
    }

    /// <inheritdoc cref="ToPythonString"/>
    public override string ToString() => ToPythonString();
}
