using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Triggers;

/// <summary>
/// The durable inbox every trigger kind writes to. <see cref="ReceiveAsync"/> returns only after the event row is
/// committed, so a sender's 2xx (or a poller's "mark as seen") always follows persistence; the filter and the run start
/// happen afterwards in <see cref="TriggerEventProcessor"/>, keeping the receiving path to one insert.
/// </summary>
public sealed partial class TriggerInbox(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    TriggerInboxSignal signal,
    AuditLog audit,
    TimeProvider time,
    Monitoring.EngineTelemetry telemetry,
    ILogger<TriggerInbox> logger) : IDisposable
{
    public const int MaxDedupKeyLength = 256;

    /// <summary>One event on its own: the group commit's fallback when a batch could not be written together.</summary>
    private async Task<TriggerReceipt> ReceiveOneAsync(Trigger trigger, TriggerIntake intake, string? dedupKey, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var now = time.GetUtcNow();
            if (dedupKey is not null && await DuplicateAsync(db, trigger, dedupKey, intake, now, ct) is { } original)
            {
                return new TriggerReceipt(original, Duplicate: true);
            }

            var evt = ReceivedEvent(trigger, intake, dedupKey, now);
            db.TriggerEvents.Add(evt);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (dedupKey is not null && attempt < 3)
            {
                // Another request with the same key committed first: answer with its event on the next pass.
                continue;
            }

            signal.Notify();
            return new TriggerReceipt(evt.Id, Duplicate: false);
        }
    }

    /// <summary>
    /// Records a refused event (bad signature, stale timestamp, oversized or wrongly typed body, disabled trigger) without
    /// its body, so the trigger's page and statistics show it, and audits it as a security event.
    /// </summary>
    public async Task<Guid> RejectAsync(Trigger trigger, string reason, string? source, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        var evt = NewEvent(trigger, now, TriggerEventStatus.Rejected, source);
        evt.Reason = reason;
        evt.ProcessedAt = now;
        db.TriggerEvents.Add(evt);
        audit.Record(db, new AuditEntry(AuditCategory.Security, "trigger.rejected", AuditActor.System,
            $"Event for trigger '{trigger.Key}' rejected: {reason}", new { eventId = evt.Id, reason, source }, trigger.AgentKey));
        await db.SaveChangesAsync(ct);
        telemetry.TriggerEventReceived(trigger.Key, "rejected");
        return evt.Id;
    }

    /// <summary>The key an event is de-duplicated by: the sender's idempotency key, else the trigger's configured payload field.</summary>
    public static string? DedupKey(Trigger trigger, TriggerIntake intake)
    {
        var raw = intake.IdempotencyKey;
        if (string.IsNullOrWhiteSpace(raw) && trigger.DedupField is { } field && PayloadPath.Resolve(intake.Payload, field) is JsonValue value)
        {
            raw = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        }

        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        raw = raw.Trim();
        return raw.Length <= MaxDedupKeyLength ? raw : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)));
    }

    /// <summary>An event waiting for the processor, holding its de-duplication key.</summary>
    private static TriggerEvent ReceivedEvent(Trigger trigger, TriggerIntake intake, string? dedupKey, DateTimeOffset now)
    {
        var evt = NewEvent(trigger, now, TriggerEventStatus.Received, intake.Source);
        evt.PayloadJson = intake.Payload.ToJsonString();
        evt.DedupKey = dedupKey;
        return evt;
    }

    /// <summary>The record of a duplicate: no payload, a link to the original, final at once.</summary>
    private static TriggerEvent DuplicateEvent(Trigger trigger, TriggerIntake intake, Guid originalId, DateTimeOffset originalAt, DateTimeOffset now)
    {
        var duplicate = NewEvent(trigger, now, TriggerEventStatus.Duplicate, intake.Source);
        duplicate.DuplicateOf = originalId;
        duplicate.ProcessedAt = now;
        duplicate.Reason = $"Same de-duplication key as event {originalId} received {originalAt:u}; not run again.";
        return duplicate;
    }

    private static TriggerEvent NewEvent(Trigger trigger, DateTimeOffset now, TriggerEventStatus status, string? source) => new()
    {
        Id = EventIds.Next(now),
        TriggerId = trigger.Id,
        TriggerKey = trigger.Key,
        AgentKey = trigger.AgentKey,
        Kind = trigger.Kind,
        ReceivedAt = now,
        Day = TriggerEvent.DayOf(now),
        Status = status,
        Source = source is { Length: > 256 } ? source[..256] : source,
    };

    /// <summary>
    /// The original event's id when the key was seen within the window (and records the duplicate); when it was seen
    /// before the window, frees the key so the new event can take it.
    /// </summary>
    private static async Task<Guid?> DuplicateAsync(AgentConsoleDbContext db, Trigger trigger, string key, TriggerIntake intake, DateTimeOffset now, CancellationToken ct)
    {
        var original = await db.TriggerEvents.AsNoTracking()
            .Where(e => e.TriggerId == trigger.Id && e.DedupKey == key)
            .Select(e => new { e.Id, e.ReceivedAt })
            .SingleOrDefaultAsync(ct);
        if (original is null)
        {
            return null;
        }

        if (original.ReceivedAt <= now - TimeSpan.FromMinutes(trigger.DedupWindowMinutes))
        {
            await db.TriggerEvents.Where(e => e.Id == original.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.DedupKey, (string?)null), ct);
            return null;
        }

        db.TriggerEvents.Add(DuplicateEvent(trigger, intake, original.Id, original.ReceivedAt, now));
        await db.SaveChangesAsync(ct);
        return original.Id;
    }
}
