using System.Globalization;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Escalations;

/// <summary>
/// The review queue: open escalations sorted by due time (the case closest to its SLA first), resolved ones newest
/// first, with filters and keyset paging; counts for the header; and claim/release, so two reviewers do not work the
/// same case. A claim lapses after <see cref="EscalationOptions.ClaimDuration"/> so an abandoned one frees itself.
/// </summary>
public sealed class ReviewDesk(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    EscalationAnnouncer announcer,
    IOptions<EscalationOptions> options,
    TimeProvider time)
{
    public const int MaxPageSize = 200;

    public async Task<EscalationPage> ListAsync(EscalationQuery query, CancellationToken ct = default)
    {
        var limit = Math.Clamp(query.Limit, 1, MaxPageSize);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = db.Escalations.AsNoTracking();
        rows = query.Open ? rows.Where(e => e.Status == EscalationStatus.Open) : rows.Where(e => e.Status != EscalationStatus.Open);
        if (!string.IsNullOrWhiteSpace(query.Agent))
        {
            rows = rows.Where(e => e.AgentKey == query.Agent.Trim());
        }

        if (query.Kind is { } kind)
        {
            rows = rows.Where(e => e.Kind == kind);
        }

        if (query.OlderThan is { } age)
        {
            var before = now - age;
            rows = rows.Where(e => e.CreatedAt <= before);
        }

        if (query.Due == EscalationDue.Overdue)
        {
            rows = rows.Where(e => e.DueAt != null && e.DueAt <= now);
        }
        else if (query.Due == EscalationDue.Soon)
        {
            var soon = now + options.Value.DueSoonWindow;
            rows = rows.Where(e => e.DueAt != null && e.DueAt > now && e.DueAt <= soon);
        }

        // Open: by due time (no SLA last), then age; resolved: newest decision first. The cursor is the last row's sort key.
        var cursor = Cursor.Parse(query.Cursor);
        List<Escalation> page;
        if (query.Open)
        {
            var far = DateTimeOffset.MaxValue;
            if (cursor is { } c)
            {
                rows = rows.Where(e => (e.DueAt ?? far) > c.At || ((e.DueAt ?? far) == c.At && e.Id.CompareTo(c.Id) > 0));
            }

            page = await rows.OrderBy(e => e.DueAt ?? far).ThenBy(e => e.Id).Take(limit + 1).ToListAsync(ct);
        }
        else
        {
            if (cursor is { } c)
            {
                rows = rows.Where(e => e.ResolvedAt < c.At || (e.ResolvedAt == c.At && e.Id.CompareTo(c.Id) < 0));
            }

            page = await rows.OrderByDescending(e => e.ResolvedAt).ThenByDescending(e => e.Id).Take(limit + 1).ToListAsync(ct);
        }

        var more = page.Count > limit;
        page = [.. page.Take(limit)];
        var runIds = page.Select(e => e.RunId).Distinct().ToList();
        var names = await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id)).Select(r => new { r.Id, r.AgentName }).ToDictionaryAsync(r => r.Id, r => r.AgentName, ct);
        var items = page.Select(e => new EscalationListItem(e.Id, e.RunId, e.AgentKey, names.GetValueOrDefault(e.RunId, e.AgentKey), e.Kind, e.Status, e.Reason,
            e.CreatedAt, e.DueAt, e.ClaimExpiresAt > now ? e.ClaimedBy : null, e.ClaimExpiresAt > now ? e.ClaimExpiresAt : null, e.ProposedAction,
            e.CostSoFarUsd, e.ResolvedAt, e.ResolvedBy, e.Resolution, e.Version)).ToList();
        var last = page.LastOrDefault();
        var next = more && last is not null ? Cursor.Format(query.Open ? last.DueAt ?? DateTimeOffset.MaxValue : last.ResolvedAt ?? DateTimeOffset.MinValue, last.Id) : null;
        return new EscalationPage(items, next);
    }

    public async Task<EscalationCounts> CountAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var soon = now + options.Value.DueSoonWindow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await db.Escalations.AsNoTracking().Where(e => e.Status == EscalationStatus.Open)
            .Select(e => new { e.AgentKey, e.Kind, e.DueAt, e.ClaimExpiresAt }).ToListAsync(ct);
        return new EscalationCounts(
            open.Count,
            open.Count(e => e.DueAt <= now),
            open.Count(e => e.DueAt > now && e.DueAt <= soon),
            open.Count(e => e.ClaimExpiresAt > now),
            open.GroupBy(e => e.AgentKey).ToDictionary(g => g.Key, g => g.Count()),
            open.GroupBy(e => e.Kind).ToDictionary(g => g.Key, g => g.Count()));
    }

    /// <summary>An escalation with what a reviewer needs beside it: the run's state, who started it and its agent's policy.</summary>
    public async Task<EscalationDetail?> FindAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var escalation = await db.Escalations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (escalation is null)
        {
            return null;
        }

        var run = await db.Runs.AsNoTracking().Where(r => r.Id == escalation.RunId)
            .Select(r => new { r.AgentName, r.Status, r.CreatedBy, r.CostUsd, r.ModelCalls, r.ToolCalls, r.UsageEstimated }).SingleAsync(ct);
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Key == escalation.AgentKey, ct);
        var limitGrants = escalation.Kind == EscalationKind.Limit
            ? await db.Escalations.CountAsync(e => e.RunId == escalation.RunId && e.Kind == EscalationKind.Limit && e.Status == EscalationStatus.Approved, ct)
            : 0;
        return new EscalationDetail(escalation, run.AgentName, run.Status, run.CreatedBy, run.CostUsd, run.ModelCalls, run.ToolCalls, run.UsageEstimated,
            agent?.Escalation ?? new EscalationPolicy(), limitGrants);
    }

    /// <summary>Claims an open escalation for the reviewer; a claim someone else holds is a conflict naming them.</summary>
    public async Task<RunCommandResult> ClaimAsync(Guid id, string actor, int? expectedVersion = null, CancellationToken ct = default) =>
        await ChangeAsync(id, actor, expectedVersion, claim: true, ct);

    public async Task<RunCommandResult> ReleaseAsync(Guid id, string actor, int? expectedVersion = null, CancellationToken ct = default) =>
        await ChangeAsync(id, actor, expectedVersion, claim: false, ct);

    private async Task<RunCommandResult> ChangeAsync(Guid id, string actor, int? expectedVersion, bool claim, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var escalation = await db.Escalations.SingleOrDefaultAsync(e => e.Id == id, ct);
        if (escalation is null)
        {
            return RunCommandResult.NotFound($"No escalation {id}.");
        }

        var now = time.GetUtcNow();
        if (!escalation.IsOpen)
        {
            return RunCommandResult.Conflict($"The escalation was already resolved ({escalation.Status.ToString().ToLowerInvariant()} by {escalation.ResolvedBy}).", escalation.RunId);
        }

        if (expectedVersion is { } expected && expected != escalation.Version)
        {
            return RunCommandResult.Conflict("The escalation changed since you loaded it; reload and try again.", escalation.RunId);
        }

        if (escalation.IsClaimedByOther(actor, now))
        {
            return RunCommandResult.Conflict($"{escalation.ClaimedBy} is working on this escalation (claimed at {escalation.ClaimedAt:HH:mm} UTC).", escalation.RunId);
        }

        if (claim)
        {
            escalation.Claim(actor, now, options.Value.ClaimDuration);
        }
        else
        {
            escalation.Release(actor, now);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            var holder = await db.Escalations.AsNoTracking().Where(e => e.Id == id).Select(e => e.ClaimedBy).SingleOrDefaultAsync(ct);
            return RunCommandResult.Conflict(holder is null || string.Equals(holder, actor, StringComparison.OrdinalIgnoreCase)
                ? "The escalation changed meanwhile; reload and try again."
                : $"{holder} claimed this escalation first.", escalation.RunId);
        }

        announcer.Changed(escalation, claim ? EscalationChange.Claimed : EscalationChange.Released, actor);
        return new RunCommandResult(RunCommandOutcome.Done, escalation.RunId, claim ? $"Claimed by {actor} until {escalation.ClaimExpiresAt:HH:mm} UTC." : "Released.");
    }

    private readonly record struct Cursor(DateTimeOffset At, Guid Id)
    {
        public static string Format(DateTimeOffset at, Guid id) =>
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{at.UtcTicks}:{id}")));

        public static Cursor? Parse(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            try
            {
                var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text)).Split(':');
                return new Cursor(new DateTimeOffset(long.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.Zero), Guid.Parse(parts[1]));
            }
            catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
            {
                throw new FormatException("The cursor is not one this API returned.", ex);
            }
        }
    }
}
