using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Tools.Messaging;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Tools.Calendar;

/// <summary>The sandbox calendar as the UI reads it: events not yet over, soonest first (or all, latest first).</summary>
public sealed class SandboxCalendar(IDbContextFactory<AgentConsoleDbContext> dbFactory)
{
    public async Task<SandboxPage<CalendarEvent>> ListAsync(DateTimeOffset now, bool includePast, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Set<CalendarEvent>().AsNoTracking();
        var ordered = includePast
            ? query.OrderByDescending(e => e.Start).ThenByDescending(e => e.Id)
            : query.Where(e => e.End >= now).OrderBy(e => e.Start).ThenBy(e => e.Id);
        return await SandboxEffects.PageAsync(ordered, skip, take, ct);
    }
}
