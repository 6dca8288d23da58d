using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// Deletes the raw values of runs that ended more than <see cref="RunDataOptions.RetentionDays"/> ago: the trigger
/// input, the placeholder map, the conversation checkpoint and the tool journal. What people read (the redacted
/// timeline, totals, output, escalations and audit) stays. Each purged run is stamped, so running twice does nothing more.
/// </summary>
public sealed partial class RunDataRetentionJob(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    IOptions<RunDataOptions> options,
    AuditLog audit,
    TimeProvider time,
    ILogger<RunDataRetentionJob> logger)
{
    public const string RecurringId = "run-data-retention";

    /// <summary>What a purged run's input reads as: an empty object keeps the column's "JSON object" contract.</summary>
    public const string PurgedInput = "{}";

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(600)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var cutoff = now.AddDays(-options.Value.RetentionDays);
        var purged = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // Ended runs only: a waiting or stopped run may still resume and needs its conversation and placeholders.
            var ids = await db.Runs
                .Where(r => r.RawDataPurgedAt == null && r.CompletedAt != null && r.CompletedAt < cutoff
                    && (r.Status == RunStatus.Succeeded || r.Status == RunStatus.Failed || r.Status == RunStatus.Cancelled || r.Status == RunStatus.HandledByHuman))
                .OrderBy(r => r.CompletedAt)
                .Select(r => r.Id)
                .Take(options.Value.BatchSize)
                .ToListAsync(ct);
            if (ids.Count == 0)
            {
                break;
            }

            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                await db.RunSteps.Where(s => ids.Contains(s.RunId) && s.JournalJson != null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.JournalJson, (string?)null), ct);
                await db.Runs.Where(r => ids.Contains(r.Id) && r.RawDataPurgedAt == null)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.InputJson, PurgedInput)
                        .SetProperty(r => r.ConversationJson, (string?)null)
                        .SetProperty(r => r.RedactionJson, (string?)null)
                        .SetProperty(r => r.RawDataPurgedAt, now), ct);
                audit.Record(db, new AuditEntry(AuditCategory.Security, "run.raw-data-purged", AuditActor.System,
                    $"Run-data retention deleted the raw data of {ids.Count} runs that ended more than {options.Value.RetentionDays} days ago",
                    new { runs = ids, retentionDays = options.Value.RetentionDays, cutoff }));
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }

            purged += ids.Count;
        }

        if (purged > 0)
        {
            LogPurged(logger, purged, options.Value.RetentionDays);
        }

        await PurgeTriggerPayloadsAsync(cutoff, ct);
        return purged;
    }

    /// <summary>
    /// Trigger inbox payloads hold what senders sent (names, e-mail addresses, message bodies): processed events older
    /// than the retention keep their status, reason and links, not their payload. Unprocessed ones are never touched.
    /// </summary>
    private async Task PurgeTriggerPayloadsAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var ids = await db.TriggerEvents
                .Where(e => e.PayloadJson != null && e.ReceivedAt < cutoff && e.Status != Triggers.TriggerEventStatus.Received)
                .OrderBy(e => e.Id)
                .Select(e => e.Id)
                .Take(options.Value.BatchSize)
                .ToListAsync(ct);
            if (ids.Count == 0)
            {
                break;
            }

            await db.TriggerEvents.Where(e => ids.Contains(e.Id)).ExecuteUpdateAsync(s => s.SetProperty(e => e.PayloadJson, (string?)null), ct);
            total += ids.Count;
        }

        if (total > 0)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            audit.Record(db, new AuditEntry(AuditCategory.Security, "trigger.payloads-purged", AuditActor.System,
                $"Run-data retention deleted the payloads of {total} trigger events received more than {options.Value.RetentionDays} days ago",
                new { events = total, retentionDays = options.Value.RetentionDays, cutoff }));
            await db.SaveChangesAsync(ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run-data retention deleted the raw input, placeholders, conversation and tool journal of {Count} runs ended more than {Days} days ago")]
    private static partial void LogPurged(ILogger logger, int count, int days);
}
