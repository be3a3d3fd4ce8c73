using System.Text;
using System.Text.Json;
using JournalPump.Host.Config;
using static JournalPump.Host.Tests.TestConfigs;

namespace JournalPump.Host.Tests;

/// <summary><c>--print-config</c> prints the effective configuration with every secret masked.</summary>
public sealed class PrintConfigTests
{
    private const string Secretive =
        """
        {"senders": {
          "e": {"output_type": "elasticsearch", "elasticsearch_url": "https://admin:hunter2@es:9200/"},
          "l": {"output_type": "logplex", "logplex_log_input_url": "https://lp/logs", "logplex_token": "lp-token-123"},
          "w": {"output_type": "websocket", "websocket_uri": "wss://ws/", "socks5_proxy": "socks5://proxyuser:proxypass@proxy:1080"},
          "c": {"output_type": "aws_cloudwatch", "aws_cloudwatch_log_group": "g", "aws_cloudwatch_log_stream": "s",
                "aws_access_key_id": "AKIAEXAMPLE", "aws_secret_access_key": "aws-secret-456"},
          "g": {"output_type": "google_cloud_logging", "google_cloud_logging_project_id": "p", "google_cloud_logging_log_id": "l",
                "google_service_account_credentials": {"project_id": "p", "client_email": "a@b", "private_key": "PRIVATE-KEY-789"}},
          "k": {"output_type": "kafka", "kafka_address": "k:9092", "kafka_topic": "t", "sasl_mechanism": "SCRAM-SHA-256",
                "sasl_plain_username": "kuser", "sasl_plain_password": "kafka-pass-321",
                "kafka_producer_config": {"compression.type": "lz4", "ssl.key.password": "key-pass-654"}},
          "f": {"output_type": "file", "file_output": "@DIR@/out",
                "extra_field_values": {"db_password": "pw-000", "link": "https://u:linkpass@example.com/x", "plain": "visible"}}
        }}
        """;

    private static string Print(string json)
    {
        var result = Load(json, AllOutputTypes);
        Assert.That(result.Errors, Is.Empty, Describe(result));
        using var stream = new MemoryStream();
        ConfigPrinter.Write(result.Config!, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [TestCase("hunter2")]
    [TestCase("lp-token-123")]
    [TestCase("proxypass")]
    [TestCase("AKIAEXAMPLE")]
    [TestCase("aws-secret-456")]
    [TestCase("PRIVATE-KEY-789")]
    [TestCase("pw-000")]
    [TestCase("kafka-pass-321")]
    [TestCase("key-pass-654")]
    [TestCase("linkpass")]
    public void Secret_is_not_printed(string secret) =>
        Assert.That(Print(WithReader(Secretive)), Does.Not.Contain(secret));

    [Test]
    public void Masked_values_keep_their_shape()
    {
        using var document = JsonDocument.Parse(Print(WithReader(Secretive)));
        var senders = document.RootElement.GetProperty("readers").GetProperty("r1").GetProperty("senders");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(senders.GetProperty("e").GetProperty("elasticsearch_url").GetString(), Is.EqualTo("https://admin:***@es:9200"));
            Assert.That(senders.GetProperty("l").GetProperty("logplex_token").GetString(), Is.EqualTo("***"));
            Assert.That(senders.GetProperty("w").GetProperty("socks5_proxy").GetString(), Is.EqualTo("socks5://proxyuser:***@proxy:1080"));
            Assert.That(senders.GetProperty("c").GetProperty("aws_secret_access_key").GetString(), Is.EqualTo("***"));
            Assert.That(senders.GetProperty("k").GetProperty("sasl_plain_password").GetString(), Is.EqualTo("***"));
            Assert.That(senders.GetProperty("k").GetProperty("sasl_plain_username").GetString(), Is.EqualTo("kuser"));
            Assert.That(senders.GetProperty("k").GetProperty("kafka_producer_config").GetProperty("compression.type").GetString(), Is.EqualTo("lz4"));
            Assert.That(senders.GetProperty("g").GetProperty("google_service_account_credentials").GetString(), Is.EqualTo("***"));
            var extra = senders.GetProperty("f").GetProperty("extra_field_values");
            Assert.That(extra.GetProperty("db_password").GetString(), Is.EqualTo("***"));
            Assert.That(extra.GetProperty("link").GetString(), Is.EqualTo("https://u:***@example.com/x"));
            Assert.That(extra.GetProperty("plain").GetString(), Is.EqualTo("visible"));
        }
    }

    [Test]
    public void Defaults_are_filled_in()
    {
        using var document = JsonDocument.Parse(Print(WithSender(FileSender())));
        var root = document.RootElement;
        var reader = root.GetProperty("readers").GetProperty("r1");
        var sender = reader.GetProperty("senders").GetProperty("s");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("log_level").GetString(), Is.EqualTo("INFO"));
            Assert.That(root.GetProperty("msg_buffer_max_length").GetInt32(), Is.EqualTo(50_000));
            Assert.That(root.GetProperty("msg_buffer_max_bytes").GetInt64(), Is.EqualTo(5_242_880));
            Assert.That(reader.GetProperty("threshold_for_metric_emit").GetInt32(), Is.EqualTo(10));
            Assert.That(reader.GetProperty("journal_flags").GetArrayLength(), Is.Zero);
            Assert.That(sender.GetProperty("max_send_interval").GetDouble(), Is.EqualTo(0.3));
            Assert.That(sender.GetProperty("file_output").GetString(), Is.EqualTo(Path.Combine(Dir, "out.jsonl")));
        }
    }

    [Test]
    public void Printed_config_loads_again_to_the_same_model()
    {
        var json = WithSender(FileSender("\"field_filter\": \"keep\""), topLevel: "\"field_filters\": {\"keep\": {\"fields\": [\"MESSAGE\"]}}, \"tags\": {\"a\": \"b\"}");
        var first = Load(json).Config!;
        var printed = Print(json);
        var second = new ConfigLoader().Load(printed);
        Assert.That(second.Errors, Is.Empty, Describe(second));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Config!.Readers[0].Senders[0].Settings, Is.EqualTo(first.Readers[0].Senders[0].Settings));
            Assert.That(second.Config.FieldFilters[0].Fields, Is.EqualTo(first.FieldFilters[0].Fields));
            Assert.That(second.Config.Tags, Is.EqualTo(first.Tags));
            Assert.That(Print(printed), Is.EqualTo(printed));
        }
    }

    [TestCase("https://user:pass@host/path", "https://user:***@host/path")]
    [TestCase("http://host:9200", "http://host:9200")]
    [TestCase("socks5://u:p@proxy:1080", "socks5://u:***@proxy:1080")]
    [TestCase("no url here", "no url here")]
    public void Url_passwords_are_masked(string value, string expected) =>
        Assert.That(ConfigJsonWriter.MaskUrl(value), Is.EqualTo(expected));

    [TestCase("sasl_plain_password", true)]
    [TestCase("logplex_token", true)]
    [TestCase("aws_secret_access_key", true)]
    [TestCase("private_key", true)]
    [TestCase("kafka_topic", false)]
    [TestCase("keyfile", false)]
    public void Secret_keys_are_recognised(string key, bool secret) =>
        Assert.That(ConfigJsonWriter.IsSecretKey(key), Is.EqualTo(secret));
}
