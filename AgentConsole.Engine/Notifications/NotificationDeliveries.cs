using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Notifications;

/// <summary>The read side of deliveries (the queue's detail pane, Settings' recent deliveries) and "Retry now".</summary>
public sealed class NotificationDeliveries(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    NotificationDispatcher dispatcher,
    AuditLog audit,
    TimeProvider time)
{
    public const int MaxPageSize = 100;

    /// <summary>Every delivery for one escalation, oldest first.</summary>
    public async Task<IReadOnlyList<NotificationDeliveryView>> ForEscalationAsync(Guid escalationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.NotificationDeliveries.AsNoTracking().Where(d => d.EscalationId == escalationId).OrderBy(d => d.Id).ToListAsync(ct);
        return await ViewsAsync(db, rows, ct);
    }

    /// <summary>The newest deliveries across channels (or of one channel), paged.</summary>
    public async Task<NotificationDeliveryPage> RecentAsync(int page, int pageSize, string? channelKey = null, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(0, page);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.NotificationDeliveries.AsNoTracking();
        if (!string.IsNullOrEmpty(channelKey))
        {
            query = query.Where(d => d.ChannelKey == channelKey);
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Skip(page * pageSize).Take(pageSize).ToListAsync(ct);
        return new NotificationDeliveryPage(await ViewsAsync(db, rows, ct), total);
    }

    /// <summary>
    /// Makes a Pending or Failed delivery due now and attempts it once at once (an Admin fixed the channel and does not
    /// want to wait for the backoff). Returns the delivery afterwards, or null when it does not exist or was already sent.
    /// </summary>
    public async Task<NotificationDeliveryView?> RetryNowAsync(Guid deliveryId, string actor, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var row = await db.NotificationDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, ct);
            if (row is null || row.Status == NotificationDeliveryStatus.Sent)
            {
                return null;
            }

            // A Failed delivery gets one more attempt: its count is past the limit, so failing again marks it Failed (and audits it) again.
            row.Status = NotificationDeliveryStatus.Pending;
            row.NextAttemptAt = now;
            audit.Record(db, new AuditEntry(AuditCategory.Human, "notification.retried", AuditActor.Parse(actor),
                $"Notification {row.Id} to channel '{row.ChannelKey}' retried now", new { deliveryId = row.Id, channel = row.ChannelKey, escalationId = row.EscalationId }));
            await db.SaveChangesAsync(ct);
        }

        await dispatcher.DeliverAsync(deliveryId, ct);
        await using var read = await dbFactory.CreateDbContextAsync(ct);
        var after = await read.NotificationDeliveries.AsNoTracking().SingleAsync(d => d.Id == deliveryId, ct);
        return (await ViewsAsync(read, [after], ct))[0];
    }

    private static async Task<IReadOnlyList<NotificationDeliveryView>> ViewsAsync(AgentConsoleDbContext db, List<NotificationDelivery> rows, CancellationToken ct)
    {
        var keys = rows.Select(r => r.ChannelKey).Distinct().ToList();
        var channels = await db.NotificationChannels.AsNoTracking().Where(c => keys.Contains(c.Key)).ToDictionaryAsync(c => c.Key, StringComparer.Ordinal, ct);
        return [.. rows.Select(r => View(r, channels))];
    }

    /// <summary>A delivery as shown: a deleted channel keeps its key as name; recipients and bodies stay server-side.</summary>
    internal static NotificationDeliveryView View(NotificationDelivery row, IReadOnlyDictionary<string, NotificationChannel> channels)
    {
        var channel = channels.GetValueOrDefault(row.ChannelKey);
        return new NotificationDeliveryView(row.Id, row.ChannelKey, channel?.Name ?? row.ChannelKey, channel?.Kind ?? NotificationChannelKind.InApp,
            row.Event, row.Status, row.Attempts, row.LastError, row.CreatedAt, row.SentAt, row.NextAttemptAt);
    }
}
