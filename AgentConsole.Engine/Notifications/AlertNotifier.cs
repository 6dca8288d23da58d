using AgentConsole.Engine.Access;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Notifications;

/// <summary>
/// The alert evaluator's way to notify: <see cref="QueueAsync"/> adds deliveries to the caller's context, so they commit
/// with the alert row (a crash never loses one, a failing channel never blocks the alert); <see cref="Wake"/> after
/// the commit starts delivery at once. E-mail goes to a channel's fixed list, else to the people who may read alerts
/// (Admins, Owners, Managers with an address and an enabled account).
/// </summary>
public sealed partial class AlertNotifier(
    NotificationSignal signal,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<AlertNotifier> logger)
{
    private static readonly string[] AlertReaders = [Roles.Admin, Roles.Owner, Roles.Manager];

    public async Task QueueAsync(AgentConsoleDbContext db, IReadOnlyList<AlertNotice> notices, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(notices);
        if (notices.Count == 0)
        {
            return;
        }

        var readers = await db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled && u.Email != null
                && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && AlertReaders.Contains(r.Name!))))
            .Select(u => u.Email!)
            .OrderBy(e => e)
            .ToListAsync(ct);
        var now = time.GetUtcNow();
        foreach (var notice in notices)
        {
            var (channels, unknownKeys) = await NotificationChannelSelection.SelectAsync(db, notice.ChannelKeys, ct);
            foreach (var unknown in unknownKeys)
            {
                LogChannelSkipped(logger, unknown, notice.AlertId);
            }

            var text = NotificationText.ForAlert(notice, options.Value.LinkBase());
            foreach (var channel in channels)
            {
                db.NotificationDeliveries.Add(NotificationDelivery.Due(channel, null, notice.Event, text, readers, notice.AgentKey ?? "All agents", notice.Message, now, notice.AlertId));
            }
        }
    }

    /// <summary>Called after the caller's commit: the dispatcher starts delivering at once instead of at its next tick.</summary>
    public void Wake() => signal.Notify();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} names notification channel {Channel}, which does not exist or is disabled; skipped")]
    private static partial void LogChannelSkipped(ILogger logger, string channel, long alertId);
}
