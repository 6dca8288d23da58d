using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Tools.Messaging;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Tools.Email;

/// <summary>The sandbox outbox as the UI reads it: newest first, a page at a time.</summary>
public sealed class SandboxOutbox(IDbContextFactory<AgentConsoleDbContext> dbFactory)
{
    public async Task<SandboxPage<OutboxEmail>> ListAsync(int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await SandboxEffects.PageAsync(db.Set<OutboxEmail>().AsNoTracking().OrderByDescending(e => e.SentAt).ThenByDescending(e => e.Id), skip, take, ct);
    }
}
