using AgentConsole.Engine.Tools.BuiltIn;
using AgentConsole.Engine.Tools.Database;
using AgentConsole.Engine.Tools.Http;
using AgentConsole.Engine.Tools.Knowledge;
using AgentConsole.Engine.Tools.Messaging;
using AgentConsole.Engine.Tools.Resilience;
using AgentConsole.Engine.Tools.Crm;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Tools;

public static class ToolServiceCollectionExtensions
{
    /// <summary>The tool registry, the connectors it collects, connections and the invoker every call goes through.</summary>
    public static IServiceCollection AddToolsAndConnectors(this IServiceCollection services)
    {
        services.AddOptions<ToolOptions>().BindConfiguration(ToolOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The host configures where keys live; an engine-only host (tests, benchmarks) still gets a working protector.
        services.AddDataProtection();
        services.AddToolHttpClient();

        services.AddSingleton<IConnector, BuiltInConnector>();
        services.AddHttpApiConnector();
        services.AddDatabaseLookupConnector();
        services.AddMessagingConnectors();
        services.AddKnowledgeBase();
        services.AddCrmConnector();

        services.AddSingleton<ToolRegistry>();
        services.AddSingleton<ConnectionStore>();
        services.AddSingleton<ToolInvoker>();
        return services;
    }
}
