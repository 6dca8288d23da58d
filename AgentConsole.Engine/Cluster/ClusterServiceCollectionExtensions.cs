using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Cluster;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>Cross-instance signals: in-process only on SQLite (one instance), over LISTEN/NOTIFY on PostgreSQL.</summary>
    public static IServiceCollection AddCluster(this IServiceCollection services, DatabaseProvider provider, string appConnection)
    {
        var relayed = provider == DatabaseProvider.Postgres;
        services.AddSingleton(sp => new ClusterSignals(sp.GetRequiredService<EngineInstance>().Id, relayed));
        if (relayed)
        {
            services.AddHostedService(sp => new PostgresSignalRelay(
                sp.GetRequiredService<ClusterSignals>(), appConnection, sp.GetRequiredService<ILogger<PostgresSignalRelay>>()));
        }

        return services;
    }
}
