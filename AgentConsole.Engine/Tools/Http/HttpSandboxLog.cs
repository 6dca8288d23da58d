using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Tools.Http;

/// <summary>The sandbox HTTP API's effect table: requests recorded once per idempotency key, listed on the sandbox page.</summary>
public sealed class HttpSandboxLog(IDbContextFactory<AgentConsoleDbContext> dbFactory)
{
    public const int MaxPageSize = 200;

    /// <summary>Records the request, or returns the one already recorded under its idempotency key (Replayed).</summary>
    public async Task<(HttpSandboxRequest Entry, bool Replayed)> RecordAsync(HttpSandboxRequest request, CancellationToken ct)
    {
        if (await FindAsync(request.IdempotencyKey, ct) is { } existing)
        {
            return (existing, true);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Add(request);
        try
        {
            await db.SaveChangesAsync(ct);
            return (request, false);
        }
        catch (DbUpdateException)
        {
            // Another executor recorded the same call meanwhile (the unique key refused ours): its record is the effect.
            if (await FindAsync(request.IdempotencyKey, ct) is { } raced)
            {
                return (raced, true);
            }

            throw;
        }
    }

    public async Task<HttpSandboxPage> ListAsync(int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var requests = db.Set<HttpSandboxRequest>().AsNoTracking();
        var total = await requests.CountAsync(ct);
        var items = await requests.OrderByDescending(r => r.Id)
            .Skip(Math.Max(0, skip))
            .Take(Math.Clamp(take, 1, MaxPageSize))
            .ToListAsync(ct);
        return new HttpSandboxPage(total, items);
    }

    private async Task<HttpSandboxRequest?> FindAsync(string idempotencyKey, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<HttpSandboxRequest>().AsNoTracking().SingleOrDefaultAsync(r => r.IdempotencyKey == idempotencyKey, ct);
    }
}
