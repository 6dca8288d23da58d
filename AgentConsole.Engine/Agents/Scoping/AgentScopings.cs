using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>Reads and writes agents' scoping data; the agent page and the REST API both go through here, every save audited.</summary>
public sealed partial class AgentScopings(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    AuditLog audit,
    TimeProvider time,
    ILogger<AgentScopings> logger)
{
    private static readonly Dictionary<string, string[]> NoErrors = [];

    public async Task<AgentScoping?> FindAsync(string agentKey, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = Normalize(agentKey);
        return await db.Set<AgentScoping>().AsNoTracking().SingleOrDefaultAsync(s => s.AgentKey == key, ct);
    }

    /// <summary>Creates or replaces the scoping of <paramref name="agentKey"/>; pass the revision you edited (0 for none yet) to detect concurrent edits.</summary>
    public async Task<ScopingSaveResult> SaveAsync(string agentKey, ScopingDraft draft, int? expectedRevision, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var key = Normalize(agentKey);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Agents.AnyAsync(a => a.Key == key, ct))
        {
            return new(AgentSaveOutcome.NotFound, null, NoErrors, $"No agent with key '{key}'.");
        }

        var now = time.GetUtcNow();
        var errors = ScopingRules.Validate(draft, DateOnly.FromDateTime(now.UtcDateTime));
        if (errors.Count > 0)
        {
            return new(AgentSaveOutcome.Invalid, null, errors, "The scoping data is not valid.");
        }

        var scoping = await db.Set<AgentScoping>().SingleOrDefaultAsync(s => s.AgentKey == key, ct);
        var current = scoping?.Revision ?? 0;
        if (expectedRevision is { } expected && expected != current)
        {
            return new(AgentSaveOutcome.Conflict, null, NoErrors,
                $"The scoping of '{key}' was changed by {scoping?.UpdatedBy ?? "someone"} (revision {current}) after you loaded revision {expected}. Reload and apply your edits again.");
        }

        var before = scoping is null ? null : ScopingDraft.From(scoping);
        if (scoping is null)
        {
            scoping = new AgentScoping { AgentKey = key };
            db.Add(scoping);
        }

        scoping.HourlyRateUsd = draft.HourlyRateUsd!.Value;
        scoping.HoursPerWeek = draft.HoursPerWeek!.Value;
        scoping.WeeklyVolume = draft.WeeklyVolume!.Value;
        scoping.ManualMinutesPerCase = draft.ManualMinutesPerCase;
        scoping.ReviewMinutesPerEscalation = draft.ReviewMinutesPerEscalation;
        scoping.PilotStart = draft.PilotStart;
        scoping.Notes = string.IsNullOrWhiteSpace(draft.Notes) ? null : draft.Notes.Trim();
        scoping.Revision = current + 1;
        scoping.UpdatedAt = now;
        scoping.UpdatedBy = actor;
        var diff = AuditDiff.Of(before, ScopingDraft.From(scoping));
        var changed = string.Join(", ", AuditDiff.ChangedFields(diff));
        audit.Record(db, new AuditEntry(
            AuditCategory.Configuration, "agent.scoping.updated", AuditActor.Parse(actor),
            $"Scoping of '{key}' saved: {(changed.Length > 0 ? changed : "no changes")}", diff, key));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || before is null)
        {
            // Another save won the race: a later save trips the revision, a concurrent first save the primary key.
            return new(AgentSaveOutcome.Conflict, null, NoErrors, $"The scoping of '{key}' was changed by someone else while you saved. Reload and apply your edits again.");
        }

        LogSaved(logger, key, scoping.Revision, actor);
        return new(AgentSaveOutcome.Saved, scoping, NoErrors, null);
    }

    private static string Normalize(string key) => key.Trim().ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Information, Message = "Scoping of agent {Key} saved as revision {Revision} by {Actor}")]
    private static partial void LogSaved(ILogger logger, string key, int revision, string actor);
}
