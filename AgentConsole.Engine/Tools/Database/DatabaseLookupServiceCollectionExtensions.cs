using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Tools.Database;

public static class DatabaseLookupServiceCollectionExtensions
{
    /// <summary>The read-only database lookup connector and its sandbox demo catalogue.</summary>
    public static IServiceCollection AddDatabaseLookupConnector(this IServiceCollection services)
    {
        services.AddOptions<DatabaseLookupOptions>().BindConfiguration(DatabaseLookupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SandboxCatalog>();
        services.AddSingleton<IConnector, DatabaseLookupConnector>();
        return services;
    }
}
