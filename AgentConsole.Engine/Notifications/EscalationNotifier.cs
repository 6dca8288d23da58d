using AgentConsole.Engine.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Notifications;

/// <summary>
/// The escalation code's way to notify reviewers: <see cref="QueueAsync"/> adds the deliveries to the caller's own
/// context (they commit with the escalation, so a crash never loses one and a failing channel never blocks it), then
/// <see cref="Wake"/> after the commit starts delivery at once.
/// </summary>
public sealed partial class EscalationNotifier(
    NotificationSignal signal,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<EscalationNotifier> logger)
{
    /// <summary>
    /// Adds one <see cref="NotificationDelivery"/> per enabled channel named in <see cref="EscalationNotice.ChannelKeys"/>
    /// (an empty list = every enabled channel) to <paramref name="db"/> without saving. Unknown keys are skipped (logged).
    /// </summary>
    public async Task QueueAsync(AgentConsoleDbContext db, EscalationNotice notice, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(notice);
        var (channels, unknownKeys) = await NotificationChannelSelection.SelectAsync(db, notice.ChannelKeys, ct);
        foreach (var unknown in unknownKeys)
        {
            LogChannelSkipped(logger, unknown, notice.EscalationId);
        }

        var now = time.GetUtcNow();
        var text = NotificationText.For(notice, options.Value.LinkBase(), now);
        foreach (var channel in channels)
        {
            db.NotificationDeliveries.Add(NotificationDelivery.Due(channel, notice.EscalationId, notice.Event, text, notice.ReviewerEmails, notice.AgentName, notice.Reason, now));
        }
    }

    /// <summary>Called after the caller's commit: the dispatcher starts delivering at once instead of at its next tick.</summary>
    public void Wake() => signal.Notify();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalation {EscalationId} names notification channel {Channel}, which does not exist or is disabled; skipped")]
    private static partial void LogChannelSkipped(ILogger logger, string channel, Guid escalationId);
}
