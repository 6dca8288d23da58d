using AgentConsole.Engine.Cluster;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Alerts;

/// <summary>
/// Creates the default alert rules at start-up when none exist (after the migrations: registered after them), under the
/// start-up lock, so two instances starting together never both find none and collide on the rules' unique names.
/// </summary>
internal sealed class AlertRuleSeeding(AlertRuleCatalog catalog, IDbContextFactory<AgentConsoleDbContext> dbFactory, IOptions<AlertOptions> options)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.SeedDefaultRules)
        {
            await using var lockHolder = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var startupLock = await ClusterLock.HoldAsync(lockHolder, ClusterLock.Startup, cancellationToken);
            await catalog.SeedDefaultsAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
