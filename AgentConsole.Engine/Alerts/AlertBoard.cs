using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Alerts;

/// <summary>
/// Reading and acknowledging alerts: the firing ones (the dashboard's "active alerts" and the navigation badge), the
/// history page by page, and a user's acknowledgement (audited, published on <see cref="AlertFeed"/>).
/// </summary>
public sealed class AlertBoard(IDbContextFactory<AgentConsoleDbContext> dbFactory, AlertFeed feed, AuditLog audit, TimeProvider time)
{
    public const int MaxPageSize = 500;

    /// <summary>The firing alerts, Critical first then newest; for one agent when <paramref name="agentKey"/> is set.</summary>
    public async Task<IReadOnlyList<Alert>> ActiveAsync(string? agentKey = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alerts = await db.Alerts.AsNoTracking()
            .Where(a => a.Status == AlertStatus.Firing && (agentKey == null || a.AgentKey == agentKey))
            .OrderByDescending(a => a.Id)
            .ToListAsync(ct);
        return [.. alerts.OrderByDescending(a => a.Severity).ThenByDescending(a => a.Id)];
    }

    public async Task<int> CountFiringAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Alerts.CountAsync(a => a.Status == AlertStatus.Firing, ct);
    }

    public async Task<AlertPage> ListAsync(AlertQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alerts = db.Alerts.AsNoTracking().AsQueryable();
        if (query.Status is { } status)
        {
            alerts = alerts.Where(a => a.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(query.AgentKey))
        {
            alerts = alerts.Where(a => a.AgentKey == query.AgentKey);
        }

        if (query.Cursor is { } cursor)
        {
            alerts = alerts.Where(a => a.Id < cursor);
        }

        var items = await alerts.OrderByDescending(a => a.Id).Take(limit + 1).ToListAsync(ct);
        return items.Count > limit ? new AlertPage(items[..limit], items[limit - 1].Id) : new AlertPage(items, null);
    }

    public async Task<Alert?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Alerts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
    }

    /// <summary>Marks a firing alert as being looked at by <paramref name="actor"/>. It still resolves by itself.</summary>
    public async Task<AlertAcknowledgement> AcknowledgeAsync(long id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null)
        {
            return new AlertAcknowledgement(AlertAcknowledgeOutcome.NotFound, null, $"No alert {id}.");
        }

        if (!alert.IsFiring)
        {
            return new AlertAcknowledgement(AlertAcknowledgeOutcome.NotFiring, alert, $"Alert {id} already resolved; there is nothing to acknowledge.");
        }

        if (!alert.Acknowledge(actor, time.GetUtcNow()))
        {
            return new AlertAcknowledgement(AlertAcknowledgeOutcome.AlreadyAcknowledged, alert, $"{alert.AcknowledgedBy} acknowledged alert {id} already.");
        }

        audit.Record(db, new AuditEntry(AuditCategory.Alert, "alert.acknowledged", AuditActor.Parse(actor),
            $"Acknowledged alert: {alert.RuleName} — {alert.Subject}",
            new { alertId = alert.Id, ruleId = alert.RuleId, rule = alert.RuleName, subject = alert.Subject, value = alert.Value, threshold = alert.Threshold },
            alert.AgentKey));
        await db.SaveChangesAsync(ct);
        feed.Publish(new AlertChanged(alert.Id, alert.RuleId, alert.AgentKey, AlertChange.Acknowledged));
        return new AlertAcknowledgement(AlertAcknowledgeOutcome.Acknowledged, alert, $"Acknowledged alert {id}.");
    }
}
