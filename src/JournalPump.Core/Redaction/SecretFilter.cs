using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using JournalPump.Core.Filtering;
using JournalPump.Core.Formatting;
using JournalPump.Core.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JournalPump.Core.Redaction;

/// <summary>One entry of a reader's <c>secret_filters</c> list (spec 5.5).</summary>
public sealed class SecretFilterOptions
{
    /// <summary>A Python regex (<c>pattern</c>, required). A plain word matches as a substring; escape metacharacters of a literal secret.</summary>
    public required string Pattern { get; init; }

    /// <summary>
    /// A Python <c>re.sub</c> template (<c>replacement</c>, required): <c>\1</c>, <c>\g&lt;1&gt;</c>,
    /// <c>\g&lt;name&gt;</c> insert groups (an unmatched group inserts nothing), <c>\n</c> and friends are
    /// escapes, <c>$</c> is literal.
    /// </summary>
    public required string Replacement { get; init; }
}

/// <summary>
/// A reader's <c>secret_filters</c> (spec 5.5): rewrites the base entry's <c>MESSAGE</c> with each filter
/// in list order, each a global Python <c>re.sub</c> on the previous one's output. Applied after searches
/// and match filters and before anything is formatted, buffered or sent, so a redacted secret never
/// reaches a sender. Other fields are never touched.
/// </summary>
/// <remarks>
/// <para>
/// Only a non-empty <c>MESSAGE</c> is filtered; a non-UTF-8 one is filtered as its <c>b'...'</c> text (the
/// text the record would carry); each value of a repeated <c>MESSAGE</c> is filtered.
/// </para>
/// <para>
/// A filter whose evaluation exceeds the match timeout fails closed: the whole value becomes
/// <see cref="TimeoutPlaceholder"/>, the counter <c>journal.regex_timeout</c> (tag <c>filter=secret_filter</c>)
/// is emitted and a warning logged.
/// </para>
/// <para>
/// One instance per reader, called from the reader's thread (not thread-safe). A <c>MESSAGE</c> that no
/// pattern matches costs no allocation; a match allocates the rewritten string.
/// </para>
/// </remarks>
public sealed class SecretFilter : IDisposable
{
    /// <summary>What a <c>MESSAGE</c> becomes when a secret filter times out on it.</summary>
    public const string TimeoutPlaceholder = "[REDACTED: secret filter timed out]";

    private static readonly byte[] MessageKey = "MESSAGE"u8.ToArray();

    private readonly (PythonRegex Regex, string Replacement)[] _filters;
    private readonly IPumpMetrics _metrics;
    private readonly IReadOnlyList<MetricTag> _readerTags;
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private char[] _chars = [];
    private byte[] _bytes = [];
    private long _timeouts;

    /// <summary>Compiles the filters.</summary>
    /// <param name="filters">The reader's <c>secret_filters</c>, in order.</param>
    /// <param name="regexOptions">Engine and match timeout; <see langword="null"/> for defaults.</param>
    /// <param name="metrics">Where timeouts are counted; <see langword="null"/> for none.</param>
    /// <param name="readerTags">The reader's metric tags (pump tags, then <c>reader</c>).</param>
    /// <param name="logger">Where timeouts are logged.</param>
    /// <exception cref="FilterConfigurationException">A filter lacks <c>pattern</c> or <c>replacement</c>, or one cannot be translated or compiled.</exception>
    public SecretFilter(IEnumerable<SecretFilterOptions> filters, PythonRegexOptions? regexOptions = null, IPumpMetrics? metrics = null, IReadOnlyList<MetricTag>? readerTags = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(filters);
        regexOptions ??= PythonRegexOptions.Default;
        _timeout = regexOptions.MatchTimeout;
        _metrics = metrics ?? NullPumpMetrics.Instance;
        _readerTags = readerTags ?? [];
        _logger = logger ?? NullLogger.Instance;
        var compiled = new List<(PythonRegex, string)>();
        int index = 0;
        foreach (var filter in filters)
        {
            if (filter?.Pattern is null || filter.Replacement is null)
            {
                throw new FilterConfigurationException($"secret_filters[{index}] needs both 'pattern' and 'replacement'");
            }

            try
            {
                var regex = new PythonRegex(filter.Pattern, regexOptions);
                compiled.Add((regex, regex.TranslateReplacement(filter.Replacement)));
            }
            catch (FilterConfigurationException e)
            {
                throw new FilterConfigurationException($"secret_filters[{index}]: {e.Message}", e);
            }

            index++;
        }

        _filters = [.. compiled];
    }

    /// <summary>The number of filters.</summary>
    public int Count => _filters.Length;

    /// <summary>How many filter evaluations hit the match timeout since creation.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>
    /// Redacts the record's <c>MESSAGE</c> in place. Returns whether it changed, which is what
    /// <c>secret_filter_metrics</c> counts (once per entry).
    /// </summary>
    /// <param name="record">The base entry.</param>
    /// <returns><see langword="true"/> when <c>MESSAGE</c> was rewritten to different text.</returns>
    public bool Apply(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_filters.Length == 0)
        {
            return false;
        }

        int index = record.IndexOf(MessageKey);
        if (index < 0)
        {
            return false;
        }

        bool changed = false;
        int count = record[index].Count;
        for (int v = 0; v < count; v++)
        {
            string? redacted = RedactValue(record[index][v]);
            if (redacted is null)
            {
                continue;
            }

            int max = Encoding.UTF8.GetMaxByteCount(redacted.Length);
            if (_bytes.Length < max)
            {
                if (_bytes.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(_bytes);
                }

                _bytes = ArrayPool<byte>.Shared.Rent(max);
            }

            int written = Encoding.UTF8.GetBytes(redacted, _bytes);
            record.SetString(index, v, _bytes.AsSpan(0, written));
            changed = true;
        }

        return changed;
    }

    /// <summary>Applies the filters to a text, as they apply to <c>MESSAGE</c>.</summary>
    /// <param name="message">The text.</param>
    /// <returns>The redacted text (the same instance when nothing matched).</returns>
    public string Redact(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Length == 0 ? message : Redact(message.AsSpan(), message) ?? message;
    }

    /// <summary>Returns the pooled buffers.</summary>
    public void Dispose()
    {
        if (_chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = [];
        }

        if (_bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = [];
        }
    }

    // The new text of one MESSAGE value, or null when it stays as it is.
    private string? RedactValue(JournalValue value)
    {
        switch (value.Kind)
        {
            case JournalValueKind.Text when !value.Bytes.IsEmpty:
            {
                FilterText.Ensure(ref _chars, Encoding.UTF8.GetMaxCharCount(value.Bytes.Length));
                int n = Encoding.UTF8.GetChars(value.Bytes, _chars);
                return Redact(_chars.AsSpan(0, n), null);
            }

            case JournalValueKind.Bytes:
            {
                string text = PythonJson.BytesLiteralText(value.Bytes);
                return Redact(text.AsSpan(), text);
            }

            default:
                return null;
        }
    }

    // Null when no filter changed the text.
    private string? Redact(ReadOnlySpan<char> original, string? originalString)
    {
        string? current = null;
        foreach (var (regex, replacement) in _filters)
        {
            try
            {
                if (current is null)
                {
                    // Stay on the span (no allocation) until a pattern matches.
                    if (!regex.Regex.IsMatch(original))
                    {
                        continue;
                    }

                    current = originalString ?? new string(original);
                }

                current = regex.Regex.Replace(current, replacement);
            }
            catch (RegexMatchTimeoutException)
            {
                Interlocked.Increment(ref _timeouts);
                Log.SecretFilterTimedOut(_logger, regex.Pattern, _timeout);
                var tags = new List<MetricTag>(_readerTags.Count + 2);
                tags.AddRange(_readerTags);
                FilterText.SetTag(tags, "filter", "secret_filter");
                FilterText.SetTag(tags, "regex", MetricTags.SanitizeValue(regex.Pattern));
                _metrics.Increment(SearchFilter.RegexTimeoutMetric, tags);
                return TimeoutPlaceholder;
            }
        }

        return current is null || original.SequenceEqual(current) ? null : current;
    }
}
