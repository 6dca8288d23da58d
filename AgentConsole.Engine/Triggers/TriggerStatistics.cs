using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Triggers;

/// <summary>Per-day volume of a trigger and its inbox, for the trigger page and the API.</summary>
public sealed class TriggerStatistics(IDbContextFactory<AgentConsoleDbContext> dbFactory, TimeProvider time)
{
    public const int MaxDays = 366;
    public const int MaxPageSize = 200;

    /// <summary>The last <paramref name="days"/> UTC days up to today, oldest first, days without events included as zeros.</summary>
    public async Task<IReadOnlyList<TriggerDayStats>> DailyAsync(Guid triggerId, int days, CancellationToken ct = default)
    {
        days = Math.Clamp(days, 1, MaxDays);
        var today = TriggerEvent.DayOf(time.GetUtcNow());
        var first = today - days + 1;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.TriggerEvents.AsNoTracking()
            .Where(e => e.TriggerId == triggerId && e.Day >= first)
            .GroupBy(e => e.Day)
            .Select(g => new
            {
                Day = g.Key,
                Received = g.Count(),
                Matched = g.Count(e => e.Matched),
                FilteredOut = g.Count(e => e.Status == TriggerEventStatus.FilteredOut),
                Rejected = g.Count(e => e.Status == TriggerEventStatus.Rejected),
                Duplicates = g.Count(e => e.Status == TriggerEventStatus.Duplicate),
                RunsStarted = g.Count(e => e.Status == TriggerEventStatus.RunStarted),
            })
            .ToDictionaryAsync(r => r.Day, ct);
        return [.. Enumerable.Range(first, days).Select(day => rows.TryGetValue(day, out var r)
            ? new TriggerDayStats(DateOnly.FromDayNumber(day), r.Received, r.Matched, r.FilteredOut, r.Rejected, r.Duplicates, r.RunsStarted)
            : new TriggerDayStats(DateOnly.FromDayNumber(day), 0, 0, 0, 0, 0, 0))];
    }

    /// <summary>A trigger's events, newest first; <paramref name="cursor"/> is the last id of the previous page.</summary>
    public async Task<TriggerEventPage> EventsAsync(Guid triggerId, string? cursor, int limit = 50, TriggerEventStatus? status = null, CancellationToken ct = default)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.TriggerEvents.AsNoTracking().Where(e => e.TriggerId == triggerId);
        if (status is { } wanted)
        {
            query = query.Where(e => e.Status == wanted);
        }

        if (cursor is not null)
        {
            if (!Guid.TryParse(cursor, out var after))
            {
                throw new FormatException("The cursor is not one this API returned.");
            }

            query = query.Where(e => e.Id.CompareTo(after) < 0);
        }

        var items = await query.OrderByDescending(e => e.Id).Take(limit + 1).ToListAsync(ct);
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = items[^1].Id.ToString();
        }

        return new TriggerEventPage(items, next);
    }

    public async Task<TriggerEvent?> EventAsync(Guid eventId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TriggerEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, ct);
    }
}
