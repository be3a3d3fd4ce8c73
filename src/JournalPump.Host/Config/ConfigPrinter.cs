using Systemd.Journal;
namespace JournalPump.Host.Config;

/// <summary>Writes the effective configuration (every default filled in, secrets masked) as JSON, for <c>--print-config</c>.</summary>
internal static class ConfigPrinter
{
    /// <summary>Writes <paramref name="config"/> to <paramref name="output"/>.</summary>
    public static void Write(PumpConfig config, Stream output)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var writer = new ConfigJsonWriter(output);
        writer.StartObject();
        writer.String("log_level", config.LogLevel.ToString().ToUpperInvariant());
        writer.String("json_state_file_path", config.JsonStateFilePath);
        WriteStatsd(writer, config.Statsd);
        writer.StringMap("tags", config.Tags);
        writer.String("geoip_database", config.GeoipDatabase);
        writer.StartObject("field_filters");
        foreach (var filter in config.FieldFilters)
        {
            writer.StartObject(filter.Name);
            writer.String("type", filter.Mode == FieldFilterMode.Whitelist ? "whitelist" : "blacklist");
            WriteList(writer, "fields", filter.Fields);
            writer.EndObject();
        }

        writer.EndObject();
        writer.StartObject("unit_log_levels");
        foreach (var list in config.UnitLogLevels)
        {
            writer.StartArray(list.Name);
            foreach (var rule in list.Rules)
            {
                writer.StartObject();
                writer.String("service_glob", rule.ServiceGlob);
                writer.String("log_level", rule.LogLevel);
                writer.EndObject();
            }

            writer.EndArray();
        }

        writer.EndObject();
        WriteMatch(writer, config.Match);
        writer.Integer("msg_buffer_max_length", config.MsgBufferMaxLength);
        writer.Integer("msg_buffer_max_bytes", config.MsgBufferMaxBytes);
        writer.StartObject("readers");
        foreach (var reader in config.Readers)
        {
            WriteReader(writer, reader);
        }

        writer.EndObject();
        writer.EndObject();
        writer.Flush();
    }

    private static void WriteStatsd(ConfigJsonWriter writer, StatsdConfig? statsd)
    {
        if (statsd is null)
        {
            writer.Null("statsd");
            return;
        }

        writer.StartObject("statsd");
        writer.String("host", statsd.Host);
        writer.Integer("port", statsd.Port);
        writer.String("prefix", statsd.Prefix);
        writer.StringMap("tags", statsd.Tags);
        writer.EndObject();
    }

    private static void WriteMatch(ConfigJsonWriter writer, MatchConfig? match)
    {
        writer.String("match_key", match?.Key);
        writer.Json("match_value", match?.Value);
    }

    private static void WriteList(ConfigJsonWriter writer, string name, IReadOnlyList<string>? items)
    {
        if (items is null)
        {
            writer.Null(name);
            return;
        }

        writer.StartArray(name);
        foreach (var item in items)
        {
            writer.Item(item);
        }

        writer.EndArray();
    }

    private static void WriteReader(ConfigJsonWriter writer, ReaderConfig reader)
    {
        writer.StartObject(reader.Name);
        switch (reader.InitialPosition.Kind)
        {
            case InitialPositionKind.Head: writer.String("initial_position", "head"); break;
            case InitialPositionKind.Tail: writer.String("initial_position", "tail"); break;
            case InitialPositionKind.MonotonicSeconds: writer.Integer("initial_position", reader.InitialPosition.Seconds); break;
            default: writer.Null("initial_position"); break;
        }

        writer.String("journal_path", reader.JournalPath);
        WriteList(writer, "journal_files", reader.JournalFiles);
        writer.String("journal_namespace", reader.JournalNamespace);
        var flags = reader.EffectiveJournalFlags;
        WriteList(writer, "journal_flags", flags == JournalOpenFlags.None ? [] : ConfigParser.FlagNames(flags).Split(" | "));
        WriteList(writer, "units_to_match", reader.UnitsToMatch);
        WriteMatch(writer, reader.Match);
        writer.StartArray("searches");
        foreach (var search in reader.Searches)
        {
            writer.StartObject();
            writer.String("name", search.Name);
            writer.StringMap("fields", search.Fields, mask: false);
            writer.StringMap("tags", [.. search.Tags.Select(t => new KeyValuePair<string, string>(t.Name, t.Value))]);
            writer.EndObject();
        }

        writer.EndArray();
        if (reader.SecretFilters is null)
        {
            writer.Null("secret_filters");
        }
        else
        {
            writer.StartArray("secret_filters");
            foreach (var filter in reader.SecretFilters)
            {
                writer.StartObject();
                writer.String("pattern", filter.Pattern);
                writer.String("replacement", filter.Replacement);
                writer.EndObject();
            }

            writer.EndArray();
        }

        writer.Bool("secret_filter_metrics", reader.SecretFilterMetrics);
        writer.Integer("threshold_for_metric_emit", reader.ThresholdForMetricEmit);
        writer.StartObject("senders");
        foreach (var sender in reader.Senders)
        {
            writer.StartObject(sender.Name);
            writer.String("output_type", sender.OutputType);
            writer.String("field_filter", sender.FieldFilter);
            writer.String("unit_log_level", sender.UnitLogLevel);
            writer.StartObject("extra_field_values");
            foreach (var (key, value) in sender.ExtraFieldValues)
            {
                if (ConfigJsonWriter.IsSecretKey(key))
                {
                    writer.String(key, ConfigJsonWriter.Mask);
                }
                else
                {
                    writer.Json(key, value);
                }
            }

            writer.EndObject();
            writer.Number("max_send_interval", sender.MaxSendInterval);
            sender.Settings.WriteKeys(writer);
            writer.EndObject();
        }

        writer.EndObject();
        writer.EndObject();
    }
}
