using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Evaluations;

public static class EvaluationServiceCollectionExtensions
{
    /// <summary>Evaluations: starting and reading them, the per-case job on the evaluations queue, and the progress feed.</summary>
    public static IServiceCollection AddEvaluations(this IServiceCollection services)
    {
        services.AddSingleton<EvaluationFeed>();
        services.AddSingleton<AgentEvaluations>();
        services.AddSingleton<EvaluationCaseRunner>();
        services.AddTransient<EvaluationCaseJob>();
        return services;
    }
}
