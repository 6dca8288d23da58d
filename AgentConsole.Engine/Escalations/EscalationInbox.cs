using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Escalations;

/// <summary>An open escalation as the queue lists it; <paramref name="ProposedAction"/> is the held tool call or the tool failure, as JSON.</summary>
public sealed record OpenEscalation(Guid Id, Guid RunId, string AgentKey, string AgentName, EscalationKind Kind, string Reason, DateTimeOffset CreatedAt, string? ProposedAction = null);

public sealed record OpenEscalationPage(IReadOnlyList<OpenEscalation> Items, int Total);

/// <summary>The open escalations, oldest first: the cases waiting longest for a person come first.</summary>
public sealed class EscalationInbox(IDbContextFactory<AgentConsoleDbContext> dbFactory)
{
    public const int MaxPageSize = 100;

    public async Task<OpenEscalationPage> ListOpenAsync(int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = db.Escalations.AsNoTracking().Where(e => e.Status == EscalationStatus.Open);
        var total = await open.CountAsync(ct);
        var items = total == 0 ? [] : await open
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxPageSize))
            .Join(db.Runs, e => e.RunId, r => r.Id, (e, r) => new OpenEscalation(e.Id, e.RunId, e.AgentKey, r.AgentName, e.Kind, e.Reason, e.CreatedAt, e.ProposedAction))
            .ToListAsync(ct);
        return new OpenEscalationPage(items, total);
    }
}
