using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Alerts;

/// <summary>Creates the default alert rules at start-up when none exist (after the migrations: registered after them).</summary>
internal sealed class AlertRuleSeeding(AlertRuleCatalog catalog, IOptions<AlertOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.SeedDefaultRules)
        {
            await catalog.SeedDefaultsAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
