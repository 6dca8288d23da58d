using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Monitoring;

public static class MonitoringServiceCollectionExtensions
{
    /// <summary>Rollups (kept by <see cref="RunRollupInterceptor"/>, folded in the background) and the metrics read from them.</summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services)
    {
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateDataAnnotations()
            .Validate(o => MonitoringOptions.IsKnownZone(o.TimeZone), "AgentConsole:Monitoring:TimeZone is not a known time zone id (e.g. UTC, Europe/Berlin).")
            .ValidateOnStart();
        services.AddSingleton<RollupSignal>();
        services.AddSingleton<RunRollupInterceptor>();
        services.AddSingleton<RollupFolder>();
        services.AddSingleton<RunMetrics>();
        services.AddSingleton<RawRunMetrics>();
        services.AddMetrics();
        services.AddSingleton<EngineTelemetry>();
        // After EngineStartup (registered earlier), so the rollup tables exist before the first fold.
        services.AddHostedService<RollupFoldService>();
        return services;
    }
}
