using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Notifications;

/// <summary>How many escalations wait for a reviewer: the navigation badge's number.</summary>
public sealed class OpenEscalations(IDbContextFactory<AgentConsoleDbContext> dbFactory)
{
    public async Task<int> CountAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Escalations.CountAsync(e => e.Status == EscalationStatus.Open, ct);
    }
}
