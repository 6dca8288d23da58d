using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Persistence;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Triggers.Schedules;

/// <summary>
/// One occurrence of a schedule trigger (a Hangfire recurring job, id <c>trigger:{key}</c>). Thin and safe to run
/// twice: the occurrence is the event's idempotency key, so a retried or duplicated job is recorded as a duplicate and
/// starts no second run.
/// </summary>
public sealed partial class ScheduleTriggerJob(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    TriggerInbox inbox,
    TriggerCatalog catalog,
    TimeProvider time,
    ILogger<ScheduleTriggerJob> logger)
{
    public const string ScheduledFor = "scheduledFor";

    /// <summary>How late Hangfire may create a due occurrence's job and still have it count as that occurrence.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>Hangfire's entry point; the job's creation time tells which occurrence it is.</summary>
    public Task FireAsync(Guid triggerId, PerformContext? context, CancellationToken ct)
    {
        var createdAt = context?.BackgroundJob.CreatedAt is { } created
            ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc))
            : time.GetUtcNow();
        return FireAtAsync(triggerId, createdAt, ct);
    }

    /// <summary>Writes the event of the occurrence due at <paramref name="createdAt"/>; null when the trigger is gone or off.</summary>
    public async Task<TriggerReceipt?> FireAtAsync(Guid triggerId, DateTimeOffset createdAt, CancellationToken ct)
    {
        Trigger? trigger;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            trigger = await db.Triggers.AsNoTracking().SingleOrDefaultAsync(t => t.Id == triggerId && t.Kind == TriggerKind.Schedule, ct);
        }

        if (trigger is not { Enabled: true })
        {
            // Disabled or deleted after the job was queued: its recurring job is (being) removed.
            LogSkipped(logger, triggerId);
            return null;
        }

        var errors = new Dictionary<string, string[]>();
        if (ScheduleDefinition.TryParse(JsonNode.Parse(trigger.SettingsJson) as JsonObject ?? [], errors) is not { } schedule)
        {
            await catalog.RecordCheckAsync(trigger.Id, $"The schedule is not valid: {string.Join(" ", errors.SelectMany(e => e.Value))}", ct: ct);
            return null;
        }

        // A job started by hand (Hangfire's dashboard) is its own occurrence.
        var occurrence = schedule.OccurrenceAt(createdAt, Tolerance) ?? createdAt;
        occurrence = TimeZoneInfo.ConvertTime(occurrence, schedule.Zone);
        var payload = schedule.Payload;
        payload[ScheduledFor] = Format(occurrence);
        var key = "schedule:" + occurrence.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var receipt = await inbox.ReceiveAsync(trigger, new TriggerIntake(payload, key, "schedule"), ct);
        await catalog.RecordCheckAsync(trigger.Id, null, ct: ct);
        LogFired(logger, trigger.Key, occurrence, receipt.Duplicate);
        return receipt;
    }

    /// <summary>ISO-8601 with the zone's offset, e.g. 2026-03-29T09:00:00+02:00.</summary>
    public static string Format(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule trigger {Key} fired for {Occurrence} (duplicate: {Duplicate})")]
    private static partial void LogFired(ILogger logger, string key, DateTimeOffset occurrence, bool duplicate);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Schedule trigger {TriggerId} is disabled or gone; occurrence skipped")]
    private static partial void LogSkipped(ILogger logger, Guid triggerId);
}
