using Microsoft.Extensions.Options;

namespace JournalPump.Sinks.Kafka;

/// <summary>
/// Checks <see cref="KafkaSinkOptions"/> before a sink is used, without connecting: required values, ranges, and
/// librdkafka's own verdict on the producer properties, certificates and keys (<see cref="KafkaProducerSettings.Validate"/>).
/// Register it for options bound from configuration: <c>services.AddSingleton&lt;IValidateOptions&lt;KafkaSinkOptions&gt;, KafkaSinkOptionsValidator&gt;()</c>.
/// </summary>
public sealed class KafkaSinkOptionsValidator : IValidateOptions<KafkaSinkOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, KafkaSinkOptions options)
    {
        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Every problem, each naming the option (<c>Topic: required</c>); empty when the options are usable.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The problems.</returns>
    public static IReadOnlyList<string> Problems(KafkaSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        Required(problems, nameof(options.Name), options.Name);
        Required(problems, nameof(options.BootstrapServers), options.BootstrapServers);
        Required(problems, nameof(options.Topic), options.Topic);
        if (options.TopicCreation is { } creation)
        {
            if (creation.Partitions < 1)
            {
                problems.Add($"TopicCreation.Partitions: must be at least 1, not {creation.Partitions}");
            }

            if (creation.ReplicationFactor < 1)
            {
                problems.Add($"TopicCreation.ReplicationFactor: must be at least 1, not {creation.ReplicationFactor}");
            }
        }

        if (options.Sasl is { } sasl)
        {
            Required(problems, "Sasl.Username", sasl.Username);
            if (string.IsNullOrEmpty(sasl.Password))
            {
                problems.Add("Sasl.Password: required");
            }
        }

        if (problems.Count == 0)
        {
            problems.AddRange(KafkaProducerSettings.Validate(options));
        }

        return problems;
    }

    private static void Required(List<string> problems, string option, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(option + ": required");
        }
    }
}
