using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Notifications;

/// <summary>
/// Delivers queued notifications: woken by <see cref="EscalationNotifier.Wake"/> and by a periodic tick (retries become
/// due that way). Deliveries are attempted side by side, so a slow or failing channel never delays another; a failed
/// attempt is retried on <see cref="NotificationOptions.Backoff"/> and after <see cref="NotificationOptions.MaxAttempts"/>
/// the delivery is Failed and audited. Nothing here can block or undo an escalation: it was committed before.
/// </summary>
public sealed partial class NotificationDispatcher(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    NotificationSignal signal,
    NotificationSender sender,
    NotificationSecrets secrets,
    InAppNotifications inApp,
    AuditLog audit,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private const int Parallelism = 8;

    /// <summary>How long an attempt in flight keeps others (another instance, the next tick) off its delivery.</summary>
    private TimeSpan Lease => options.Value.SendTimeout + TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ProcessInBackground)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DispatchDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPassFailed(logger, ex);
            }

            await signal.WaitAsync(options.Value.DispatchInterval, time, stoppingToken);
        }
    }

    /// <summary>Attempts every Pending delivery that is due now; returns how many were attempted.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        List<Guid> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = await db.NotificationDeliveries
                .Where(d => d.Status == NotificationDeliveryStatus.Pending && d.NextAttemptAt <= now)
                .OrderBy(d => d.NextAttemptAt)
                .Select(d => d.Id)
                .Take(BatchSize)
                .ToListAsync(ct);
        }

        var attempted = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (id, token) =>
        {
            if (await DeliverAsync(id, token))
            {
                Interlocked.Increment(ref attempted);
            }
        });
        return attempted;
    }

    /// <summary>
    /// One attempt at one delivery, if it is Pending and due (false otherwise: sent, failed, or taken by someone else).
    /// Never throws for a channel's failure: that is recorded on the delivery.
    /// </summary>
    public async Task<bool> DeliverAsync(Guid deliveryId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Claim it: only the caller whose update lands attempts it, in this process or another instance.
        var lease = now + Lease;
        var claimed = await db.NotificationDeliveries
            .Where(d => d.Id == deliveryId && d.Status == NotificationDeliveryStatus.Pending && d.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, lease), ct);
        if (claimed == 0)
        {
            return false;
        }

        var delivery = await db.NotificationDeliveries.SingleAsync(d => d.Id == deliveryId, ct);
        var channel = await db.NotificationChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Key == delivery.ChannelKey, ct);
        var error = await AttemptAsync(channel, delivery, ct);
        var finished = time.GetUtcNow();
        delivery.Attempts++;
        if (error is null)
        {
            delivery.Status = NotificationDeliveryStatus.Sent;
            delivery.SentAt = finished;
            delivery.NextAttemptAt = null;
            delivery.LastError = null;
        }
        else
        {
            delivery.LastError = error.Message.Length <= NotificationDelivery.ErrorMaxLength ? error.Message : error.Message[..(NotificationDelivery.ErrorMaxLength - 1)] + "…";
            // A test is a probe: the Admin wants its answer now, not a retry in the background.
            var maxAttempts = delivery.Event == NotificationEvent.Test ? 1 : options.Value.MaxAttempts;
            if (error.Permanent || delivery.Attempts >= maxAttempts)
            {
                delivery.Status = NotificationDeliveryStatus.Failed;
                delivery.NextAttemptAt = null;
                AuditFailed(db, delivery, channel);
            }
            else
            {
                delivery.NextAttemptAt = finished + options.Value.DelayAfter(delivery.Attempts);
            }

            LogAttemptFailed(logger, delivery.Id, delivery.ChannelKey, delivery.Attempts, delivery.LastError);
        }

        await db.SaveChangesAsync(CancellationToken.None);
        return true;
    }

    private async Task<NotificationSendException?> AttemptAsync(NotificationChannel? channel, NotificationDelivery delivery, CancellationToken ct)
    {
        if (channel is null)
        {
            return new NotificationSendException($"Channel '{delivery.ChannelKey}' was deleted before the notification was sent.", permanent: true);
        }

        if (!channel.Enabled && delivery.Event != NotificationEvent.Test)
        {
            return new NotificationSendException($"Channel '{channel.Key}' was disabled before the notification was sent.", permanent: true);
        }

        if (channel.Kind == NotificationChannelKind.InApp)
        {
            inApp.Publish(new InAppNotification(delivery.EscalationId, delivery.AgentName, delivery.Reason, delivery.Event, delivery.Link, delivery.AlertId));
            return null;
        }

        using var timeout = new CancellationTokenSource(options.Value.SendTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await sender.SendAsync(channel, secrets.Read(channel), delivery, linked.Token);
            return null;
        }
        catch (NotificationSendException ex)
        {
            return ex;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new NotificationSendException($"Channel '{channel.Key}' did not answer within {options.Value.SendTimeout.TotalSeconds:0} s.", permanent: false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or an unforeseen failure: the delivery is retried like any other, the details go to the log.
            LogUnexpected(logger, ex, delivery.Id, channel.Key);
            return new NotificationSendException($"Channel '{channel.Key}' failed unexpectedly ({ex.GetType().Name}); see the server log.", permanent: false);
        }
    }

    private void AuditFailed(AgentConsoleDbContext db, NotificationDelivery delivery, NotificationChannel? channel) =>
        audit.Record(db, new AuditEntry(AuditCategory.Escalation, "notification.failed", AuditActor.System,
            $"Notification ({delivery.Event.ToString().ToLowerInvariant()}) to channel '{delivery.ChannelKey}' failed after {delivery.Attempts} attempt(s): {delivery.LastError}",
            new
            {
                deliveryId = delivery.Id,
                channel = delivery.ChannelKey,
                kind = channel?.Kind.ToString(),
                escalationId = delivery.EscalationId,
                alertId = delivery.AlertId,
                @event = delivery.Event.ToString(),
                attempts = delivery.Attempts,
                lastError = delivery.LastError,
            }));

    [LoggerMessage(Level = LogLevel.Error, Message = "The notification dispatcher's pass failed; it tries again at the next tick")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {DeliveryId} to channel {Channel} failed (attempt {Attempts}): {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, Guid deliveryId, string channel, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {DeliveryId} to channel {Channel} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, Guid deliveryId, string channel);
}
