using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Tools.Knowledge;

public static class KnowledgeServiceCollectionExtensions
{
    /// <summary>The per-agent knowledge base, its embeddings seam and the <c>knowledge_search</c> connector.</summary>
    public static IServiceCollection AddKnowledgeBase(this IServiceCollection services)
    {
        services.AddOptions<KnowledgeOptions>().BindConfiguration(KnowledgeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<KnowledgeEmbeddings>();
        services.AddSingleton<KnowledgeBase>();
        services.AddSingleton<IConnector, KnowledgeSearchConnector>();
        return services;
    }
}
