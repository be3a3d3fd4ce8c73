using System.Collections.Frozen;

namespace JournalPump.Host.Config;

/// <summary>The <c>output_type</c> values (spec 2.3), their defaults and which of them this build can run.</summary>
internal static class OutputTypes
{
    /// <summary><c>elasticsearch</c>.</summary>
    public const string Elasticsearch = "elasticsearch";

    /// <summary><c>opensearch</c>.</summary>
    public const string OpenSearch = "opensearch";

    /// <summary><c>kafka</c>.</summary>
    public const string Kafka = "kafka";

    /// <summary><c>rsyslog</c>.</summary>
    public const string Rsyslog = "rsyslog";

    /// <summary><c>logplex</c>.</summary>
    public const string Logplex = "logplex";

    /// <summary><c>websocket</c>.</summary>
    public const string WebSocket = "websocket";

    /// <summary><c>aws_cloudwatch</c>.</summary>
    public const string AwsCloudWatch = "aws_cloudwatch";

    /// <summary><c>google_cloud_logging</c>.</summary>
    public const string GoogleCloudLogging = "google_cloud_logging";

    /// <summary><c>file</c>.</summary>
    public const string File = "file";

    /// <summary>Every output type journalpump knows, in the spec's order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Elasticsearch, OpenSearch, Kafka, Rsyslog, Logplex, WebSocket, AwsCloudWatch, GoogleCloudLogging, File];

    /// <summary>
    /// The output types whose sink is wired into this build. Add a type here when its sink package is composed in the host;
    /// a configuration using any other type is rejected with "output_type X is not available in this build".
    /// </summary>
    public static FrozenSet<string> AvailableInThisBuild { get; } = FrozenSet.ToFrozenSet([File, Kafka], StringComparer.Ordinal);

    /// <summary>The sink package that implements each output type.</summary>
    public static string SinkPackage(string outputType) => outputType switch
    {
        Elasticsearch or OpenSearch => "JournalPump.Sinks.Elasticsearch",
        Kafka => "JournalPump.Sinks.Kafka",
        Rsyslog or Logplex => "JournalPump.Sinks.Syslog",
        WebSocket => "JournalPump.Sinks.WebSocket",
        AwsCloudWatch => "JournalPump.Sinks.CloudWatch",
        GoogleCloudLogging => "JournalPump.Sinks.GoogleCloud",
        File => "JournalPump.Host (FileSink)",
        _ => throw new ArgumentOutOfRangeException(nameof(outputType), outputType, "Unknown output type."),
    };

    /// <summary>The default <c>max_send_interval</c> in seconds (spec 6.0).</summary>
    public static double DefaultMaxSendInterval(string outputType) => outputType switch
    {
        WebSocket => 1.0,
        Logplex => 5.0,
        Elasticsearch or OpenSearch => 10.0,
        _ => 0.3,
    };

    /// <summary>The sender class name upstream writes in the state file's <c>type</c> (spec 3.5).</summary>
    public static string StateTypeName(string outputType) => outputType switch
    {
        Elasticsearch => "ElasticsearchSender",
        OpenSearch => "OpenSearchSender",
        Kafka => "KafkaSender",
        Rsyslog => "RsyslogSender",
        Logplex => "LogplexSender",
        WebSocket => "WebsocketSender",
        AwsCloudWatch => "AWSCloudWatchSender",
        GoogleCloudLogging => "GoogleCloudLoggingSender",
        File => "FileSender",
        _ => throw new ArgumentOutOfRangeException(nameof(outputType), outputType, "Unknown output type."),
    };
}
