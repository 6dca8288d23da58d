using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Notifications;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Alerts;

/// <summary>
/// Checks every rule and moves alerts through Firing → Resolved, one row per (rule, subject) while it fires. Each
/// rule's changes commit in one transaction with their audit entries and notification deliveries; a rule that throws
/// is logged, its error recorded on the rule, and the pass goes on with the next one. Safe to run twice: a second pass
/// finds the same alerts firing and only updates them.
/// </summary>
public sealed partial class AlertEvaluator(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    AlertSignals signals,
    AlertNotifier notifier,
    AlertFeed feed,
    AuditLog audit,
    TimeProvider time,
    ILogger<AlertEvaluator> logger)
{
    public async Task<AlertEvaluation> EvaluateAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        List<AlertRule> rules;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            rules = await db.AlertRules.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct);
        }

        int fired = 0, resolved = 0, failed = 0;
        foreach (var rule in rules)
        {
            try
            {
                var breaches = rule.Enabled ? await signals.MeasureAsync(rule, now, ct) : [];
                var (f, r) = await ApplyAsync(rule, breaches, rule.Enabled ? "no longer holds" : "rule disabled", now, ct);
                (fired, resolved) = (fired + f, resolved + r);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failed++;
                LogRuleFailed(logger, ex, rule.Name, rule.Id);
                await RecordErrorAsync(rule.Id, ex, now);
            }
        }

        resolved += await ResolveOrphansAsync(rules.Select(r => r.Id).ToHashSet(), now, ct);
        return new AlertEvaluation(rules.Count, fired, resolved, failed);
    }

    private async Task<(int Fired, int Resolved)> ApplyAsync(AlertRule rule, IReadOnlyList<AlertBreach> breaches, string resolveReason, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var firing = await db.Alerts.Where(a => a.RuleId == rule.Id && a.Status == AlertStatus.Firing).ToListAsync(ct);
        var bySubject = firing.ToDictionary(a => a.Subject, StringComparer.Ordinal);
        var newAlerts = new List<Alert>();
        foreach (var breach in breaches.DistinctBy(b => b.Subject))
        {
            if (bySubject.Remove(breach.Subject, out var existing))
            {
                existing.Update(breach, now);
            }
            else
            {
                var alert = Alert.Fire(rule, breach, now);
                db.Alerts.Add(alert);
                newAlerts.Add(alert);
            }
        }

        var gone = bySubject.Values.ToList();
        foreach (var alert in gone)
        {
            alert.Resolve(now);
        }

        if (rule.Enabled)
        {
            // A good pass clears the rule's last error (ExecuteUpdate: the rule is not tracked here).
            await db.AlertRules.Where(r => r.Id == rule.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastEvaluatedAt, now).SetProperty(r => r.LastError, (string?)null).SetProperty(r => r.LastErrorAt, (DateTimeOffset?)null), ct);
        }

        if (newAlerts.Count == 0 && gone.Count == 0)
        {
            await db.SaveChangesAsync(ct);
            return (0, 0);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The new rows need their ids before the notices and audit entries name them.
        await db.SaveChangesAsync(ct);
        var notices = new List<AlertNotice>();
        foreach (var alert in newAlerts)
        {
            Audit(db, alert, "alert.fired", $"Alert fired: {alert.RuleName} — {alert.Message}");
            notices.Add(Notice(alert, rule.ChannelKeys, NotificationEvent.AlertFired));
        }

        foreach (var alert in gone)
        {
            Audit(db, alert, "alert.resolved", $"Alert resolved ({resolveReason}): {alert.RuleName} — {alert.Subject}");
            notices.Add(Notice(alert, rule.ChannelKeys, NotificationEvent.AlertResolved));
        }

        await notifier.QueueAsync(db, notices, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        notifier.Wake();
        foreach (var alert in newAlerts)
        {
            feed.Publish(new AlertChanged(alert.Id, alert.RuleId, alert.AgentKey, AlertChange.Fired));
        }

        foreach (var alert in gone)
        {
            feed.Publish(new AlertChanged(alert.Id, alert.RuleId, alert.AgentKey, AlertChange.Resolved));
        }

        return (newAlerts.Count, gone.Count);
    }

    /// <summary>Firing alerts whose rule was deleted resolve (quietly: nobody chose to be told about a deleted rule).</summary>
    private async Task<int> ResolveOrphansAsync(HashSet<Guid> ruleIds, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var orphans = (await db.Alerts.Where(a => a.Status == AlertStatus.Firing).ToListAsync(ct)).Where(a => !ruleIds.Contains(a.RuleId)).ToList();
        if (orphans.Count == 0)
        {
            return 0;
        }

        foreach (var alert in orphans)
        {
            alert.Resolve(now);
            Audit(db, alert, "alert.resolved", $"Alert resolved (rule deleted): {alert.RuleName} — {alert.Subject}");
        }

        await db.SaveChangesAsync(ct);
        foreach (var alert in orphans)
        {
            feed.Publish(new AlertChanged(alert.Id, alert.RuleId, alert.AgentKey, AlertChange.Resolved));
        }

        return orphans.Count;
    }

    private async Task RecordErrorAsync(Guid ruleId, Exception ex, DateTimeOffset now)
    {
        try
        {
            var message = $"{ex.GetType().Name}: {ex.Message}";
            message = message.Length <= AlertRule.ErrorMaxLength ? message : message[..(AlertRule.ErrorMaxLength - 1)] + "…";
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.AlertRules.Where(r => r.Id == ruleId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastError, message).SetProperty(r => r.LastErrorAt, now), CancellationToken.None);
        }
        catch (Exception recordFailure) when (recordFailure is not OutOfMemoryException)
        {
            // The database itself may be what failed; the log already has the rule's error.
            LogRecordFailed(logger, recordFailure, ruleId);
        }
    }

    private void Audit(AgentConsoleDbContext db, Alert alert, string action, string summary) =>
        audit.Record(db, new AuditEntry(AuditCategory.Alert, action, AuditActor.System, summary, new
        {
            alertId = alert.Id,
            ruleId = alert.RuleId,
            rule = alert.RuleName,
            kind = alert.Kind.ToString(),
            subject = alert.Subject,
            severity = alert.Severity.ToString(),
            value = alert.Value,
            threshold = alert.Threshold,
            message = alert.Message,
        }, alert.AgentKey));

    private static AlertNotice Notice(Alert alert, IReadOnlyList<string> channels, NotificationEvent evt) =>
        new(alert.Id, alert.RuleName, alert.Severity.ToString(), alert.AgentKey, alert.Subject, alert.Message, evt, channels);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert rule {RuleName} ({RuleId}) failed to evaluate; the other rules go on")]
    private static partial void LogRuleFailed(ILogger logger, Exception exception, string ruleName, Guid ruleId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the evaluation error on alert rule {RuleId}")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, Guid ruleId);
}
