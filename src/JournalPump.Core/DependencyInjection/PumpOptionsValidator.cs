using JournalPump.Core.Pipeline;

namespace JournalPump.Core.DependencyInjection;

/// <summary>Checks a <see cref="PumpOptions"/> before a pump starts: names present and unique, limits positive.</summary>
public static class PumpOptionsValidator
{
    /// <summary>Every problem, each naming where it is (<c>Readers[r].Senders[s].Name: ...</c>).</summary>
    /// <param name="options">The options.</param>
    /// <returns>The problems; empty when valid.</returns>
    public static IReadOnlyList<string> Validate(PumpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var readerNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reader in options.Readers)
        {
            string at = $"Readers[{reader.Name}]";
            if (string.IsNullOrEmpty(reader.Name))
            {
                problems.Add("Readers[]: a reader needs a name");
            }
            else if (!readerNames.Add(reader.Name))
            {
                problems.Add($"{at}: the name is used by another reader");
            }

            if (reader.Open is null)
            {
                problems.Add($"{at}.Open: required");
            }

            if (reader.MaxBufferRecords <= 0)
            {
                problems.Add($"{at}.MaxBufferRecords: must be positive, not {reader.MaxBufferRecords}");
            }

            if (reader.MaxBufferBytes < 0)
            {
                problems.Add($"{at}.MaxBufferBytes: must be 0 (no limit) or positive, not {reader.MaxBufferBytes}");
            }

            if (reader.ChunkEntries <= 0 || reader.ChunkBytes <= 0)
            {
                problems.Add($"{at}: ChunkEntries and ChunkBytes must be positive");
            }

            var senderNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var sender in reader.Senders)
            {
                string sat = $"{at}.Senders[{sender.Name}]";
                if (string.IsNullOrEmpty(sender.Name) || !senderNames.Add(sender.Name))
                {
                    problems.Add($"{sat}.Name: every sender of a reader needs its own name");
                }

                if (sender.CreateSink is null)
                {
                    problems.Add($"{sat}.CreateSink: required");
                }

                if (sender.Delivery.MaxBatchBytes <= 0 || sender.Delivery.MaxBatchRecords <= 0)
                {
                    problems.Add($"{sat}.Delivery: MaxBatchBytes and MaxBatchRecords must be positive");
                }

                if (sender.Delivery.InitialRetryDelay <= TimeSpan.Zero || sender.Delivery.MaxRetryDelay < sender.Delivery.InitialRetryDelay)
                {
                    problems.Add($"{sat}.Delivery: retry delays must be positive, the maximum at least the initial one");
                }
            }
        }

        return problems;
    }

    /// <summary>Throws when <see cref="Validate"/> finds problems.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">With every problem in the message.</exception>
    public static void ThrowIfInvalid(PumpOptions options)
    {
        var problems = Validate(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid pump options: " + string.Join("; ", problems), nameof(options));
        }
    }
}
