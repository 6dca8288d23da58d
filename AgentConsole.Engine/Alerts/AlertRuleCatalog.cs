using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Alerts;

/// <summary>Alert rules: list, create, update, delete (each audited as configuration), and the default rules.</summary>
public sealed class AlertRuleCatalog(IDbContextFactory<AgentConsoleDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    public async Task<IReadOnlyList<AlertRule>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertRules.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct);
    }

    public async Task<AlertRule?> FindAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertRules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
    }

    public Task<AlertRuleSaveResult> CreateAsync(AlertRuleEdit edit, string actor, CancellationToken ct = default) => SaveAsync(null, edit, actor, ct);

    public Task<AlertRuleSaveResult> UpdateAsync(Guid id, AlertRuleEdit edit, string actor, CancellationToken ct = default) => SaveAsync(id, edit, actor, ct);

    /// <summary>Deletes the rule; its firing alerts resolve at the next evaluation (the history keeps the rule's name).</summary>
    public async Task<AlertRuleSaveResult> DeleteAsync(Guid id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = await db.AlertRules.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null)
        {
            return AlertRuleSaveResult.NotFound(id);
        }

        db.AlertRules.Remove(rule);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "alert-rule.deleted", AuditActor.Parse(actor),
            $"Deleted alert rule '{rule.Name}' ({rule.Kind})", Payload(rule), rule.AgentKey));
        await db.SaveChangesAsync(ct);
        return AlertRuleSaveResult.Saved(rule, $"Deleted alert rule '{rule.Name}'.");
    }

    private async Task<AlertRuleSaveResult> SaveAsync(Guid? id, AlertRuleEdit edit, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var errors = AlertRuleValidation.Validate(edit);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        AlertRule? rule = null;
        if (id is { } existing)
        {
            rule = await db.AlertRules.SingleOrDefaultAsync(r => r.Id == existing, ct);
            if (rule is null)
            {
                return AlertRuleSaveResult.NotFound(existing);
            }
        }

        var name = edit.Name?.Trim() ?? "";
        if (!errors.ContainsKey(AlertRuleValidation.Name) && await db.AlertRules.AnyAsync(r => r.Name == name && r.Id != (id ?? Guid.Empty), ct))
        {
            errors[AlertRuleValidation.Name] = [$"Another rule is called '{name}'."];
        }

        var agentKey = string.IsNullOrWhiteSpace(edit.AgentKey) ? null : edit.AgentKey.Trim();
        if (agentKey is not null && !await db.Agents.AnyAsync(a => a.Key == agentKey, ct))
        {
            errors[AlertRuleValidation.AgentKey] = [$"There is no agent '{agentKey}'."];
        }

        var channels = edit.Channels.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.NotificationChannels.Where(c => channels.Contains(c.Key)).Select(c => c.Key).ToListAsync(ct);
        var unknown = channels.Except(known, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            errors[AlertRuleValidation.Channels] = [$"No notification channel {string.Join(", ", unknown.Select(k => $"'{k}'"))}."];
        }

        if (errors.Count > 0)
        {
            return AlertRuleSaveResult.Invalid(errors);
        }

        var now = time.GetUtcNow();
        var created = rule is null;
        rule ??= new AlertRule { Id = Guid.CreateVersion7(now), CreatedAt = now, CreatedBy = actor };
        var before = created ? null : Payload(rule);
        rule.Name = name;
        rule.Kind = edit.Kind!.Value;
        rule.AgentKey = agentKey;
        rule.Enabled = edit.Enabled;
        rule.ParametersJson = AlertRuleValidation.Normalize(rule.Kind, edit.Parameters ?? new AlertParameters()).ToJson();
        rule.Channels = string.Join(',', channels);
        rule.UpdatedAt = now;
        rule.UpdatedBy = actor;
        if (created)
        {
            db.AlertRules.Add(rule);
        }

        audit.Record(db, new AuditEntry(AuditCategory.Configuration, created ? "alert-rule.created" : "alert-rule.updated", AuditActor.Parse(actor),
            $"{(created ? "Created" : "Updated")} alert rule '{rule.Name}' ({rule.Kind}{(rule.Enabled ? "" : ", disabled")})",
            created ? Payload(rule) : new { before, after = Payload(rule) }, rule.AgentKey));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two editors saved the same name at once: the unique index decided.
            if (!await NameTakenAsync(name, rule.Id, ct))
            {
                throw;
            }

            return AlertRuleSaveResult.Invalid(new Dictionary<string, string[]> { [AlertRuleValidation.Name] = [$"Another rule is called '{name}'."] });
        }

        return AlertRuleSaveResult.Saved(rule, $"{(created ? "Created" : "Saved")} alert rule '{rule.Name}'.");
    }

    /// <summary>The rules a new installation starts with (the practice guide: cost alerts are not optional).</summary>
    public static IReadOnlyList<AlertRuleEdit> DefaultRules() =>
    [
        new() { Name = "Error rate over 20 % in 60 min", Kind = AlertKind.ErrorRate, Parameters = new() { ThresholdPercent = 20, WindowMinutes = 60, MinRuns = AlertParameters.DefaultMinEndedRuns } },
        new() { Name = "Run cost over 5x median or $5", Kind = AlertKind.RunCost, Parameters = new() { MedianMultiple = 5, MaxRunCostUsd = 5, WindowMinutes = 60 } },
        new() { Name = "Daily spend over $100 (all agents)", Kind = AlertKind.DailySpend, Parameters = new() { DailyLimitUsd = 100, AllAgentsTogether = true } },
        new() { Name = "Escalation rate over 30 % in 24 h", Kind = AlertKind.EscalationRate, Parameters = new() { RedesignPercent = 30, WindowMinutes = 24 * 60, MinRuns = AlertParameters.DefaultMinEscalationRuns } },
        new() { Name = "Escalations overdue", Kind = AlertKind.EscalationsOverdue, Parameters = new() { MinCount = 1 } },
        new() { Name = "Trigger volume dropped to zero or spiked 10x", Kind = AlertKind.TriggerVolume, Parameters = new() { WindowMinutes = 60, BaselineWindows = 24, MinAverage = 5, SpikeMultiple = 10 } },
    ];

    /// <summary>Creates <see cref="DefaultRules"/> when there is no rule at all; returns how many it created.</summary>
    public async Task<int> SeedDefaultsAsync(CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.AlertRules.AnyAsync(ct))
            {
                return 0;
            }
        }

        var created = 0;
        foreach (var edit in DefaultRules())
        {
            // Another instance starting at the same moment may have created it: the unique name keeps one.
            var result = await CreateAsync(edit, "system", ct);
            created += result.Outcome == AlertRuleSaveOutcome.Saved ? 1 : 0;
        }

        return created;
    }

    private async Task<bool> NameTakenAsync(string name, Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertRules.AnyAsync(r => r.Name == name && r.Id != id, ct);
    }

    private static object Payload(AlertRule rule) => new
    {
        ruleId = rule.Id,
        rule.Name,
        kind = rule.Kind.ToString(),
        rule.AgentKey,
        rule.Enabled,
        parameters = rule.Parameters,
        channels = rule.ChannelKeys,
    };
}
