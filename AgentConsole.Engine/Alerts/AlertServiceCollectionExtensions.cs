using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Alerts;

public static class AlertServiceCollectionExtensions
{
    /// <summary>Alert rules, the evaluator and its job, the board pages read, the live feed, and the default rules.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AlertFeed>();
        services.AddSingleton<AlertSignals>();
        services.AddSingleton<AlertRuleCatalog>();
        services.AddSingleton<AlertEvaluator>();
        services.AddSingleton<AlertBoard>();
        services.AddTransient<AlertEvaluationJob>();
        services.AddHostedService<AlertRuleSeeding>();
        return services;
    }
}
