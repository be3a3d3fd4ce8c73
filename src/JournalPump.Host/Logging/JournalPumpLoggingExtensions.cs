using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace JournalPump.Host.Logging;

/// <summary>Registers the daemon's console logging.</summary>
internal static class JournalPumpLoggingExtensions
{
    /// <summary>
    /// Logs every message to stderr through <see cref="JournalPumpConsoleFormatter"/>: journald's <c>&lt;N&gt;</c>
    /// lines under systemd, upstream's tab-separated lines otherwise. Messages below
    /// <paramref name="levelSwitch"/>'s level are dropped; the daemon changes it when <c>log_level</c> changes.
    /// </summary>
    /// <param name="builder">The logging builder.</param>
    /// <param name="levelSwitch">The minimum level.</param>
    /// <param name="configure">Changes the format (Auto by default).</param>
    /// <returns>The builder.</returns>
    public static ILoggingBuilder AddJournalPumpConsole(this ILoggingBuilder builder, LogLevelSwitch levelSwitch, Action<JournalPumpConsoleFormatterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(levelSwitch);
        builder.SetMinimumLevel(LogLevel.Trace);
        builder.AddFilter<ConsoleLoggerProvider>((_, level) => levelSwitch.IsEnabled(level));
        builder.AddConsole(options =>
        {
            options.FormatterName = JournalPumpConsoleFormatter.FormatterName;

            // Everything on stderr, like upstream; under systemd both streams go to the journal anyway.
            options.LogToStandardErrorThreshold = LogLevel.Trace;
        });

        // Registered by hand rather than AddConsoleFormatter<,>, which binds options from configuration by reflection.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, JournalPumpConsoleFormatter>());
        builder.Services.AddOptions<JournalPumpConsoleFormatterOptions>();
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        return builder;
    }
}
