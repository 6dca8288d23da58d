using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Evaluations;

public static class EvaluationServiceCollectionExtensions
{
    /// <summary>
    /// Test sets, evaluations, what-if replays and "Try it": starting and reading them, the per-case jobs on the evaluations
    /// queue, the progress recorder and feed, and the publish gate.
    /// </summary>
    public static IServiceCollection AddEvaluations(this IServiceCollection services)
    {
        services.AddSingleton<TestSets>();
        services.AddOptions<TestSetOptions>().BindConfiguration(TestSetOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PublishGate>();
        services.AddSingleton<EvaluationFeed>();
        services.AddSingleton<EvaluationProgress>();
        services.AddSingleton<Replays>();
        services.AddSingleton<Trials>();
        services.AddTransient<ReplayCaseJob>();
        services.AddSingleton<AgentEvaluations>();
        services.AddSingleton<EvaluationCaseRunner>();
        services.AddTransient<EvaluationCaseJob>();
        return services;
    }
}
