using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs.Redaction;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// One execution of a run: the tracked run, its database context and what the middleware share. Everything a step
/// records is written together with the run's totals and audit entries in one transaction per model turn or tool
/// call, so a crash never leaves a step without its cost or its audit event.
/// </summary>
internal sealed class RunSession(
    AgentConsoleDbContext db,
    Run run,
    Agent agent,
    ModelProvider provider,
    RunRedaction redaction,
    AuditLog audit,
    TimeProvider time,
    RunNotifications notifications,
    RunLease lease,
    ExecutionClock clock)
{
    private readonly Dictionary<string, RunStep> _journal = [];
    private int _nextSequence;

    public AgentConsoleDbContext Db => db;
    public Run Run => run;
    public Agent Agent => agent;
    public ModelProvider Provider => provider;
    public RedactionVault Vault => redaction.Vault;

    /// <summary>What every step, audit entry, reason and output of this execution passes through before it is stored.</summary>
    public RunRedaction Redaction => redaction;
    public TimeProvider Time => time;
    public RunLease Lease => lease;
    public AuditActor Actor => AuditActor.Run(run.Id.ToString());

    public int MaxSteps => run.MaxSteps(agent.MaxSteps);
    public decimal Budget => run.Budget(agent.BudgetPerRunUsd);

    /// <summary>The escalation the agent asked for through the escalate tool in this execution, if any.</summary>
    public (string Reason, string? Summary)? AgentEscalation { get; set; }

    /// <summary>The decision versions this execution evaluated (see <see cref="Run.DecisionVersionsJson"/>).</summary>
    public string DecisionVersions { get; set; } = "{}";

    /// <summary>For a replay: the historical run's tool results that answer this run's calls (no connector is reached).</summary>
    public Evaluations.ToolRecordings? Recordings { get; set; }

    /// <summary>A tool call that kept failing past its retries (or failed in a way retrying cannot fix) in this execution.</summary>
    public ToolFailure? ToolFailure { get; set; }

    /// <summary>Set by the limits middleware so the executor knows a cancellation came from the wall clock.</summary>
    public bool WallClockExpired { get; set; }

    /// <summary>What the budget guard reserved for the model call in flight (USD).</summary>
    public decimal Reserved { get; set; }

    public async Task LoadAsync(CancellationToken ct)
    {
        _nextSequence = (await RunQueries.LastSequence(db, run.Id, ct) ?? 0) + 1;
        await foreach (var step in RunQueries.JournaledSteps(db, run.Id).WithCancellation(ct))
        {
            _journal[step.CallId!] = step;
        }
    }

    public RunStep? Journaled(string callId) => _journal.GetValueOrDefault(callId);

    public RunStep AddStep(RunStepKind kind, string title, object? detail = null, bool isError = false)
    {
        var step = new RunStep
        {
            RunId = run.Id,
            Sequence = _nextSequence++,
            At = time.GetUtcNow(),
            Kind = kind,
            Title = RunStep.FitTitle(redaction.Text(title)),
            DetailJson = redaction.Detail(detail),
            IsError = isError,
        };
        db.RunSteps.Add(step);
        return step;
    }

    /// <summary>Writes a step again with the next save (a tool call's result on the row that put the call on record).</summary>
    public void Update(RunStep step) => db.RunSteps.Update(step);

    public void Journal(RunStep step)
    {
        if (step.CallId is not null)
        {
            _journal[step.CallId] = step;
        }
    }

    public void Audit(AuditCategory category, string action, string summary, object? payload = null) =>
        audit.Record(db, redaction.Audit(new AuditEntry(category, action, Actor, summary, payload, run.AgentKey, run.Id.ToString())));

    /// <summary>Redacts free text for the timeline, the audit and the run's reason and output.</summary>
    public string Redact(string text) => redaction.Text(text);

    public JsonNode? Redact(JsonNode? node) => redaction.Json(node);

    public void Checkpoint(IEnumerable<ChatMessage> conversation) =>
        run.Checkpoint(JsonSerializer.Serialize(conversation.ToList(), AIJsonUtilities.DefaultOptions), redaction.Vault.ToJson(), time.GetUtcNow());

    /// <summary>
    /// Saves everything pending in one transaction, fenced by the lease (the run's UPDATE carries
    /// <c>WHERE LeaseId = @mine</c>), renews the lease and tells live views. The save that leaves Running (the run
    /// waits, stopped or finished) also carries this execution's active time. Throws
    /// <see cref="RunLeaseLostException"/>, having written nothing, when the lease is no longer this executor's.
    /// </summary>
    public async Task SaveAsync(CancellationToken ct)
    {
        if (lease.IsLost)
        {
            throw new RunLeaseLostException();
        }

        // Only an executing run holds a lease: waiting, stopped and finished runs released it in their transition.
        var active = TimeSpan.Zero;
        if (run.Status == RunStatus.Running)
        {
            run.RenewLease(time.GetUtcNow() + lease.Duration);
        }
        else if (!clock.Saved)
        {
            active = clock.Elapsed;
            run.AddActiveTime(active);
        }

        // Always write the run's row, even when nothing on it changed: that UPDATE is what checks the fencing token
        // for the steps and audit rows saved with it.
        db.Entry(run).Property(r => r.LeaseExpiresAt).IsModified = true;
        try
        {
            // Saving must not be abandoned half-way by a cancellation that arrived meanwhile: the step happened.
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            run.AddActiveTime(-active);
            lease.MarkLost();
            throw new RunLeaseLostException("Another executor took the run over, or it was ended meanwhile; nothing was written.", ex);
        }
        catch
        {
            run.AddActiveTime(-active);
            throw;
        }

        if (run.Status != RunStatus.Running)
        {
            clock.Saved = true;
        }
        // Written steps and audit rows are never changed again: stop tracking them, so each later save's change
        // detection and bookkeeping covers the run and what is new instead of everything the execution wrote.
        db.ChangeTracker.Clear();
        db.Runs.Attach(run);
        notifications.Publish(new RunUpdated(run.Id, run.AgentKey, run.Status));
    }

    /// <summary>
    /// Whether a cancel was persisted (possibly by another instance). Asked before every model and tool call, so it
    /// is a precompiled query: the LINQ pipeline cost more than SQLite answering it.
    /// </summary>
    public async Task<bool> CancelRequestedAsync(CancellationToken ct) =>
        run.CancelRequested || await RunQueries.CancelRequested(db, run.Id, ct);

    public static List<ChatMessage> ReadConversation(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<ChatMessage>>(json, AIJsonUtilities.DefaultOptions) ?? [];
}

/// <summary>How long one execution of a run has been active, and whether the run already saved it.</summary>
internal sealed class ExecutionClock(TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();

    public TimeSpan Elapsed => time.GetElapsedTime(_started);

    /// <summary>The execution's active time is in the database (the save that ended the execution carried it).</summary>
    public bool Saved { get; set; }
}
