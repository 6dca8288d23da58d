using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentConsole.Engine.Audit;

/// <summary>
/// Reports quarantined outbox rows (someone wrote audit rows without the key, or they could not be read) and the
/// outbox backlog. Quarantined rows make it Degraded, not Unhealthy: the app and the chain keep working (200), but an
/// operator should look; it turns Healthy again once the reviewed rows are deleted from AuditQuarantine.
/// </summary>
internal sealed class AuditHealthCheck(IDbContextFactory<AgentConsoleDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var quarantined = await db.AuditQuarantine.CountAsync(cancellationToken);
        var pending = await db.AuditOutbox.CountAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["quarantined"] = quarantined, ["outbox"] = pending };
        return quarantined == 0
            ? HealthCheckResult.Healthy("No refused audit rows.", data)
            : HealthCheckResult.Degraded(
                $"{quarantined} audit outbox row(s) were refused (no valid MAC or unreadable) and quarantined; see the Security events 'audit.outbox-quarantined' and the AuditQuarantine table.",
                data: data);
    }
}
