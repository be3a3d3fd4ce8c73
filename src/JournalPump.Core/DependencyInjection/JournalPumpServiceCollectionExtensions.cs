using JournalPump.Core.Checkpoints;
using JournalPump.Core.DependencyInjection;
using JournalPump.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a journal pump in a generic host.</summary>
public static class JournalPumpServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="JournalPumpHostedService"/> that runs the pump <paramref name="build"/> describes,
    /// resuming each sender from the state file at <paramref name="stateFilePath"/> (journalpump's format).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="build">Builds the pump from the saved positions.</param>
    /// <param name="stateFilePath">Where positions are kept; <see langword="null"/> for none.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddJournalPump(this IServiceCollection services, Func<IServiceProvider, PumpCheckpoint, PumpOptions> build, string? stateFilePath = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(build);
        services.AddOptions<JournalPumpServiceOptions>()
            .Configure(o =>
            {
                o.Build = build;
                o.StateFilePath = stateFilePath;
            })
            .Validate(o => o.Build is not null && o.StateInterval > TimeSpan.Zero, "AddJournalPump needs a builder and a positive StateInterval")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JournalPumpHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<JournalPumpHostedService>());
        return services;
    }
}
