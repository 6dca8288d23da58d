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

    // One batch at a time in this process: the background loop and a direct caller (a test, a drain on shutdown) never
    // take the same events twice. Across instances the unique run-per-event index is the guard.
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
        var now = time.GetUtcNow();
        foreach (var evt in events)
        {
            try
            {
                Process(db, evt, triggers.GetValueOrDefault(evt.TriggerId), agents.GetValueOrDefault(evt.AgentKey), filters, started);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogEventFailed(logger, ex, evt.Id);
                evt.Status = TriggerEventStatus.Failed;
                evt.Reason = $"The event could not be processed: {ex.Message}";
            }

            evt.ProcessedAt = now;
        }

        await db.SaveChangesAsync(ct);
        foreach (var (runId, agentKey) in started)
        {
            runs.Started(runId, agentKey);
        }

        return events.Count;
    }

    private void Process(AgentConsoleDbContext db, TriggerEvent evt, Trigger? trigger, Agent? agent, Dictionary<Guid, CompiledTriggerFilter> filters, List<(Guid, string)> started)
    {
        var payload = evt.PayloadJson is null ? new JsonObject() : JsonNode.Parse(evt.PayloadJson) as JsonObject ?? [];
        if (trigger is null || agent is null)
        {
            evt.Status = TriggerEventStatus.Failed;
            evt.Reason = trigger is null ? "The trigger was deleted before the event was processed." : $"Agent '{evt.AgentKey}' no longer exists.";
            Audit(db, evt, agent, payload);
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
            Audit(db, evt, agent, payload);
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

        Audit(db, evt, agent, payload);
    }

    private void Audit(AgentConsoleDbContext db, TriggerEvent evt, Agent? agent, JsonObject payload)
    {
        // The reason may quote payload values (a filter names what it saw): it is stored and shown redacted, as the audit is.
        var redaction = new RunRedaction(new RedactionVault(redactors.For(agent?.RedactionPatterns)), $"trigger:{evt.TriggerKey}");
        evt.Reason = redaction.Text(evt.Reason);
        var outcome = evt.Status switch
        {
            TriggerEventStatus.RunStarted => $"started run {evt.RunId}",
            TriggerEventStatus.FilteredOut => "filtered out",
            _ => "failed",
        };
        audit.Record(db, new AuditEntry(AuditCategory.Trigger, "trigger.event", AuditActor.Trigger(evt.TriggerKey),
            $"Event {evt.Id} of trigger '{evt.TriggerKey}' {outcome}{(evt.Reason is null ? "" : $": {evt.Reason}")}",
            new { eventId = evt.Id, status = evt.Status.ToString(), reason = evt.Reason, runId = evt.RunId, source = evt.Source, payload = redaction.Json(payload.DeepClone()) },
            evt.AgentKey, evt.RunId?.ToString()));
    }

    private static string Limit(string text) => text.Length <= 2_000 ? text : text[..1_997] + "...";

    [LoggerMessage(Level = LogLevel.Error, Message = "The trigger inbox could not process a batch; it retries")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Trigger event {EventId} could not be processed")]
    private static partial void LogEventFailed(ILogger logger, Exception exception, Guid eventId);
}
