namespace JournalPump.Sinks.Kafka.Tests.Sink;

public sealed class KafkaSinkOptionsValidatorTests
{
    private static KafkaSinkOptions Options(string name = "k", string bootstrap = "127.0.0.1:9", string topic = "t", KafkaTopicCreation? creation = null, KafkaSaslOptions? sasl = null, Dictionary<string, string>? properties = null) => new()
    {
        Name = name,
        BootstrapServers = bootstrap,
        Topic = topic,
        TopicCreation = creation,
        Sasl = sasl,
        ProducerProperties = properties ?? [],
    };

    [Test]
    public void Usable_options_pass() =>
        Assert.That(new KafkaSinkOptionsValidator().Validate(null, Options()).Succeeded, Is.True);

    [Test]
    public void Each_problem_names_its_option()
    {
        var problems = KafkaSinkOptionsValidator.Problems(Options(
            name: "", bootstrap: " ", topic: "",
            creation: new KafkaTopicCreation { Partitions = 0, ReplicationFactor = 0 },
            sasl: new KafkaSaslOptions { Mechanism = KafkaSaslMechanism.Plain, Username = "", Password = "" }));
        Assert.That(problems, Is.EqualTo(new[]
        {
            "Name: required",
            "BootstrapServers: required",
            "Topic: required",
            "TopicCreation.Partitions: must be at least 1, not 0",
            "TopicCreation.ReplicationFactor: must be at least 1, not 0",
            "Sasl.Username: required",
            "Sasl.Password: required",
        }));
    }

    [Test]
    public void Librdkafka_has_the_last_word_on_properties()
    {
        var result = new KafkaSinkOptionsValidator().Validate(null, Options(properties: new() { ["linger.ms"] = "soon" }));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.FailureMessage, Does.Contain("Invalid value for configuration property"));
        }
    }
}
