using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Tools.Messaging;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Tools.Chat;

/// <summary>The sandbox chat log as the UI reads it: newest first, a page at a time.</summary>
public sealed class SandboxChatLog(IDbContextFactory<AgentConsoleDbContext> dbFactory)
{
    public async Task<SandboxPage<ChatNotification>> ListAsync(int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await SandboxEffects.PageAsync(db.Set<ChatNotification>().AsNoTracking().OrderByDescending(e => e.PostedAt).ThenByDescending(e => e.Id), skip, take, ct);
    }
}
