using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Escalations;

public static class EscalationServiceCollectionExtensions
{
    /// <summary>The review queue: decisions, claims, the SLA with its default actions, and the metrics.</summary>
    public static IServiceCollection AddEscalations(this IServiceCollection services)
    {
        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.Section)
            .Validate(o => o.ClaimDuration >= TimeSpan.FromMinutes(1) && o.ClaimDuration <= TimeSpan.FromDays(1), "AgentConsole:Escalations:ClaimDuration must be between 1 minute and 1 day.")
            .Validate(o => o.DueSoonWindow > TimeSpan.Zero && o.DueSoonWindow <= TimeSpan.FromDays(7), "AgentConsole:Escalations:DueSoonWindow must be between 0 and 7 days.")
            .ValidateOnStart();
        services.AddSingleton<EscalationFeed>();
        services.AddSingleton<EscalationAnnouncer>();
        services.AddSingleton<EscalationRaiser>();
        services.AddSingleton<EscalationResolver>();
        services.AddSingleton<ReviewDesk>();
        services.AddSingleton<EscalationDeadlines>();
        services.AddSingleton<EscalationStatistics>();
        services.AddTransient<EscalationDeadlineJob>();
        return services;
    }
}
