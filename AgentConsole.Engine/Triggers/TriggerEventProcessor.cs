using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Runs.Redaction;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Triggers;

/// <summary>
/// Drains the inbox: each received event goes through its trigger's filter and mapping and, when it matches, starts a
/// run — the event's new status, the run and the audit entry commit in one transaction, so a crash leaves the event
/// received (and processed again) rather than half done. A failure never stops the loop; it is logged and retried.
/// </summary>
public sealed partial class TriggerEventProcessor(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    TriggerInboxSignal signal,
    AgentRuns runs,
    Redactors redactors,
    AuditLog audit,
    IOptions<TriggerOptions> options,
    TimeProvider time,
    ILogger<TriggerEventProcessor> logger) : BackgroundService
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan GatherDelay = TimeSpan.FromMilliseconds(50);

    // One batch at a time in this process: the background loop and a direct caller (a test, a drain on shutdown) never
    // take the same events twice. Across instances the inbox's cluster lock does (and the unique run-per-event index).
    private readonly SemaphoreSlim _gate = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ProcessInBackground)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            int processed;
            try
            {
                processed = await ProcessBatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogBatchFailed(logger, ex);
                processed = 0;
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (processed < options.Value.ProcessBatchSize)
            {
                await signal.WaitAsync(IdleWait, stoppingToken);
                // Every commit of the inbox wakes the processor; gathering for a moment turns a stream of small
                // transactions (each holding SQLite's write lock against the receiving path) into fuller batches.
                await Task.Delay(GatherDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Processes up to one batch of received events; returns how many.</summary>
    public async Task<int> ProcessBatchAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await ProcessOneBatchAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> ProcessOneBatchAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One processor at a time cluster-wide: two instances taking the same events would both stage their runs and
        // one batch would fail on the run-per-event index. The other instance's processor skips until its next wake-up.
        await using var clusterTx = db.Database.IsPostgres() ? await db.Database.BeginTransactionAsync(ct) : null;
        if (clusterTx is not null && !await Cluster.ClusterLock.TryTakeForTransactionAsync(db, Cluster.ClusterLock.TriggerInbox, ct))
        {
            return 0;
        }

        var events = await db.TriggerEvents
            .Where(e => e.Status == TriggerEventStatus.Received)
            .OrderBy(e => e.Id)
            .Take(options.Value.ProcessBatchSize)
            .ToListAsync(ct);
        if (events.Count == 0)
        {
            return 0;
        }

        var triggerIds = events.Select(e => e.TriggerId).Distinct().ToList();
        var triggers = await db.Triggers.AsNoTracking().Where(t => triggerIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var agentKeys = events.Select(e => e.AgentKey).Distinct().ToList();
        var agents = await db.Agents.AsNoTracking().Where(a => agentKeys.Contains(a.Key)).ToDictionaryAsync(a => a.Key, ct);
        var filters = new Dictionary<Guid, CompiledTriggerFilter>();
        var started = new List<(Guid RunId, string AgentKey)>();
        var audited = new List<(TriggerEvent Event, JsonNode? Payload)>(events.Count);
        var now = time.GetUtcNow();
        foreach (var evt in events)
        {
            var agent = agents.GetValueOrDefault(evt.AgentKey);
            var payload = evt.PayloadJson is null ? new JsonObject() : JsonNode.Parse(evt.PayloadJson) as JsonObject ?? [];
            try
            {
                Process(db, evt, payload, triggers.GetValueOrDefault(evt.TriggerId), agent, filters, started);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogEventFailed(logger, ex, evt.Id);
                evt.Status = TriggerEventStatus.Failed;
                evt.Reason = $"The event could not be processed: {ex.Message}";
            }

            // The reason may quote payload values (a filter names what it saw): it is stored and shown redacted, as the audit is.
            var redaction = new RunRedaction(new RedactionVault(redactors.For(agent?.RedactionPatterns)), $"trigger:{evt.TriggerKey}");
            evt.Reason = redaction.Text(evt.Reason);
            audited.Add((evt, redaction.Json(payload)));
            evt.ProcessedAt = now;
        }

        Audit(db, audited);

        await db.SaveChangesAsync(ct);
        if (clusterTx is not null)
        {
            await clusterTx.CommitAsync(ct);
        }

        foreach (var (runId, agentKey) in started)
        {
            runs.Started(runId, agentKey);
        }

        return events.Count;
    }

    private void Process(AgentConsoleDbContext db, TriggerEvent evt, JsonObject payload, Trigger? trigger, Agent? agent, Dictionary<Guid, CompiledTriggerFilter> filters, List<(Guid, string)> started)
    {
        if (trigger is null || agent is null)
        {
            evt.Status = TriggerEventStatus.Failed;
            evt.Reason = trigger is null ? "The trigger was deleted before the event was processed." : $"Agent '{evt.AgentKey}' no longer exists.";
            return;
        }

        if (!filters.TryGetValue(trigger.Id, out var filter))
        {
            filter = TriggerEvaluation.FilterOf(trigger);
            filters[trigger.Id] = filter;
        }

        var evaluation = TriggerEvaluation.Of(trigger, filter, agent, payload);
        if (!evaluation.Filter.Matched)
        {
            evt.Status = TriggerEventStatus.FilteredOut;
            evt.Reason = evaluation.Filter.Reason;
            return;
        }

        evt.Matched = true;
        var origin = new RunOrigin(trigger.Key, evt.Id);
        var result = runs.Stage(db, agent, evaluation.Input, origin.Actor, origin: origin);
        if (result.Outcome == RunCommandOutcome.Done)
        {
            evt.Status = TriggerEventStatus.RunStarted;
            evt.RunId = result.RunId;
            started.Add((result.RunId!.Value, agent.Key));
        }
        else
        {
            evt.Status = TriggerEventStatus.Failed;
            var details = result.Errors is { Count: > 0 } errors ? " " + string.Join(" ", errors.SelectMany(e => e.Value)) : "";
            evt.Reason = Limit($"No run started: {result.Message}{details}");
        }
    }

    /// <summary>
    /// Every trigger input is audited — once per trigger and batch rather than once per event, so a busy webhook adds a
    /// few audit entries per second, not thousands (each is chained and indexed on SQLite's one write lock, which the
    /// receiving path shares). Each event keeps its id, status, reason, run and redacted payload in the entry.
    /// </summary>
    private void Audit(AgentConsoleDbContext db, List<(TriggerEvent Event, JsonNode? Payload)> processed)
    {
        foreach (var group in processed.GroupBy(p => (p.Event.TriggerKey, p.Event.AgentKey)))
        {
            var items = group.ToList();
            var counts = string.Join(", ", items.GroupBy(i => i.Event.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Describe(g.Key)}"));
            var single = items.Count == 1 ? items[0].Event : null;
            var summary = single is null
                ? $"{items.Count} events of trigger '{group.Key.TriggerKey}': {counts}"
                : $"Event {single.Id} of trigger '{group.Key.TriggerKey}' {Describe(single.Status)}{(single.RunId is { } run ? $" (run {run})" : "")}{(single.Reason is null ? "" : $": {single.Reason}")}";
            var events = items.Select(i => new
            {
                eventId = i.Event.Id,
                status = i.Event.Status.ToString(),
                reason = i.Event.Reason,
                runId = i.Event.RunId,
                source = i.Event.Source,
                payload = i.Payload,
            }).ToList();
            audit.Record(db, new AuditEntry(AuditCategory.Trigger, "trigger.events", AuditActor.Trigger(group.Key.TriggerKey),
                Limit(summary), new { events }, group.Key.AgentKey, single?.RunId?.ToString()));
        }
    }

    private static string Describe(TriggerEventStatus status) => status switch
    {
        TriggerEventStatus.RunStarted => "started a run",
        TriggerEventStatus.FilteredOut => "filtered out",
        _ => "failed",
    };

    private static string Limit(string text) => text.Length <= 2_000 ? text : text[..1_997] + "...";

    [LoggerMessage(Level = LogLevel.Error, Message = "The trigger inbox could not process a batch; it retries")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Trigger event {EventId} could not be processed")]
    private static partial void LogEventFailed(ILogger logger, Exception exception, Guid eventId);
}
