using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs.Redaction;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Runs;

public enum RunCommandOutcome
{
    Done,
    NotFound,
    Invalid,
    Conflict,

    /// <summary>The actor may not do this (e.g. four eyes: approving an action of a run they started).</summary>
    Forbidden,
}

public sealed record RunCommandResult(RunCommandOutcome Outcome, Guid? RunId = null, string? Message = null, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static RunCommandResult NotFound(string message) => new(RunCommandOutcome.NotFound, Message: message);

    public static RunCommandResult Conflict(string message, Guid? runId = null) => new(RunCommandOutcome.Conflict, runId, message);

    public static RunCommandResult Forbidden(string message, Guid? runId = null) => new(RunCommandOutcome.Forbidden, runId, message);

    public static RunCommandResult Invalid(string message, IReadOnlyDictionary<string, string[]>? errors = null, Guid? runId = null) =>
        new(RunCommandOutcome.Invalid, runId, message, errors);
}

/// <param name="Kind">Production runs by default; null lists every kind (evaluation, replay and trial runs included).</param>
public sealed record RunQuery(string? Agent = null, RunStatus? Status = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Cursor = null, int Limit = 50, string? Trigger = null,
    RunKind? Kind = RunKind.Production);

public sealed record RunPage(IReadOnlyList<Run> Items, string? NextCursor);

public sealed record RunDetail(Run Run, IReadOnlyList<RunStep> Steps, IReadOnlyList<Escalation> Escalations);

/// <summary>Starting, cancelling, re-running and reading runs: the one place the UI and the REST API go through.</summary>
public sealed class AgentRuns(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    IBackgroundJobClient jobs,
    AuditLog audit,
    RunCancellations cancellations,
    RunNotifications notifications,
    IOptions<RunOptions> options,
    Redactors redactors,
    TimeProvider time)
{
    public const int MaxPageSize = 200;

    /// <summary>Validates the input against the agent, persists a queued run and enqueues its execution.</summary>
    public async Task<RunCommandResult> StartAsync(string agentKey, JsonObject? input, string actor, Guid? rerunOf = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = agentKey.Trim().ToLowerInvariant();
        var agent = await RunQueries.Agent(db, key, ct);
        if (agent is null)
        {
            return RunCommandResult.NotFound($"No agent with key '{agentKey}'.");
        }

        var staged = Stage(db, agent, input, actor, rerunOf);
        if (staged.Outcome != RunCommandOutcome.Done)
        {
            return staged;
        }

        await db.SaveChangesAsync(ct);
        Started(staged.RunId!.Value, agent.Key);
        return staged;
    }

    /// <summary>
    /// Checks the input and adds a queued run (its first step, checkpoint and audit entry) to <paramref name="db"/>
    /// without saving, so a caller can commit it together with its own changes (the trigger inbox marks its event in the
    /// same transaction); after the commit the caller calls <see cref="Started"/>.
    /// </summary>
    /// <summary>
    /// Starts a non-production run pinned to <paramref name="setup"/> (a "Try it" run, a replay): same input checks as a
    /// production run, but a paused or draft agent may be tried, and it runs on the evaluations queue when
    /// <paramref name="enqueue"/> is set (an evaluation executes its runs itself).
    /// </summary>
    public async Task<RunCommandResult> StartPinnedAsync(string agentKey, JsonObject? input, string actor, RunSetup setup, bool enqueue = true, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(setup);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var agent = await RunQueries.Agent(db, agentKey.Trim().ToLowerInvariant(), ct);
        if (agent is null)
        {
            return RunCommandResult.NotFound($"No agent with key '{agentKey}'.");
        }

        var staged = Stage(db, agent, input, actor, setup: setup);
        if (staged.Outcome != RunCommandOutcome.Done)
        {
            return staged;
        }

        await db.SaveChangesAsync(ct);
        if (enqueue)
        {
            Enqueue(staged.RunId!.Value, setup.Kind);
        }

        notifications.Publish(new RunUpdated(staged.RunId!.Value, agent.Key, RunStatus.Queued));
        return staged;
    }

    internal RunCommandResult Stage(AgentConsoleDbContext db, Agent agent, JsonObject? input, string actor, Guid? rerunOf = null, RunOrigin? origin = null, RunSetup? setup = null)
    {
        if (agent.Status == AgentStatus.Paused && setup is null)
        {
            return RunCommandResult.Conflict($"Agent '{agent.Key}' is paused; set it to Pilot or Live to start runs.");
        }

        if (input is null)
        {
            return new RunCommandResult(RunCommandOutcome.Invalid, Message: "The run needs an input object: {\"input\": {...}}.",
                Errors: new Dictionary<string, string[]> { ["input"] = ["The input must be a JSON object."] });
        }

        var json = input.ToJsonString();
        if (Encoding.UTF8.GetByteCount(json) > options.Value.MaxInputBytes)
        {
            return new RunCommandResult(RunCommandOutcome.Invalid, Message: $"The input is larger than {options.Value.MaxInputBytes:N0} bytes.",
                Errors: new Dictionary<string, string[]> { ["input"] = [$"At most {options.Value.MaxInputBytes:N0} bytes of JSON."] });
        }

        var errors = RunInputValidation.Validate(agent, input);
        if (errors.Count > 0)
        {
            return new RunCommandResult(RunCommandOutcome.Invalid, Message: $"The input does not match agent '{agent.Key}''s input fields.", Errors: errors);
        }

        var run = setup is null
            ? Run.Create(agent.Key, agent.Name, json, actor, time.GetUtcNow(), rerunOf, origin)
            : Run.CreatePinned(agent.Key, agent.Name, json, actor, time.GetUtcNow(), setup);
        db.Runs.Add(run);
        // A replay keeps the historical run's placeholders, so its tool arguments redact alike and match the recordings.
        var redactor = redactors.For(agent.RedactionPatterns);
        var redaction = new RunRedaction(setup?.RedactionJson is { } vault ? RedactionVault.FromJson(redactor, vault) : new RedactionVault(redactor), actor);
        var redacted = redaction.Json(input.DeepClone());
        var title = (rerunOf, origin) switch
        {
            _ when setup is not null => $"{setup.Kind} run started by {actor}{(setup.ReplayOf is { } of ? $" (replay of {of})" : "")}",
            (not null, _) => $"Re-run of {rerunOf} by {actor}",
            (_, not null) => $"Started by trigger {origin.TriggerKey}",
            _ => $"Started by {actor}",
        };
        db.RunSteps.Add(new RunStep
        {
            RunId = run.Id,
            Sequence = 1,
            At = run.CreatedAt,
            Kind = RunStepKind.Trigger,
            Title = title,
            DetailJson = new JsonObject
            {
                ["input"] = redacted,
                ["rerunOf"] = rerunOf?.ToString(),
                ["trigger"] = origin?.TriggerKey,
                ["eventId"] = origin?.EventId.ToString(),
            }.ToJsonString(),
        });
        run.Checkpoint("", redaction.Vault.ToJson(), run.CreatedAt);
        audit.Record(db, new AuditEntry(AuditCategory.Trigger, "run.queued", AuditActor.Parse(actor),
            $"Run of {agent.Name} queued{(rerunOf is null ? "" : $" (re-run of {rerunOf})")}{(origin is null ? "" : $" by trigger {origin.TriggerKey}")}",
            new { input = redacted, rerunOf, trigger = origin?.TriggerKey, eventId = origin?.EventId }, agent.Key, run.Id.ToString()));
        return new RunCommandResult(RunCommandOutcome.Done, run.Id);
    }

    /// <summary>After the staged run was committed: enqueue its execution and tell the live views.</summary>
    internal void Started(Guid runId, string agentKey)
    {
        Enqueue(runId);
        notifications.Publish(new RunUpdated(runId, agentKey, RunStatus.Queued));
    }

    public async Task<RunCommandResult> RerunAsync(Guid runId, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            return RunCommandResult.NotFound($"No run {runId}.");
        }

        if (run.RawDataPurgedAt is { } purged)
        {
            return RunCommandResult.Conflict(string.Create(CultureInfo.InvariantCulture,
                $"The run's input was deleted by run-data retention on {purged:yyyy-MM-dd}; only its redacted timeline remains, so it cannot be re-run."), run.Id);
        }

        return await StartAsync(run.AgentKey, JsonNode.Parse(run.InputJson) as JsonObject, actor, run.Id, ct);
    }

    /// <summary>Ends a run that is not executing at once; asks an executing one to stop at its next step.</summary>
    public async Task<RunCommandResult> CancelAsync(Guid runId, string actor, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, ct);
            if (run is null)
            {
                return RunCommandResult.NotFound($"No run {runId}.");
            }

            if (run.IsFinished)
            {
                return RunCommandResult.Conflict($"The run is already {Describe(run.Status)}.", run.Id);
            }

            var now = time.GetUtcNow();
            var executing = run.Status is RunStatus.Running or RunStatus.Queued && run.LeaseOwner is not null && run.LeaseExpiresAt > now;
            run.RequestCancel(actor, now);
            audit.Record(db, new AuditEntry(AuditCategory.Human, "run.cancel-requested", AuditActor.Parse(actor), $"Cancel of run {run.Id} requested", null, run.AgentKey, run.Id.ToString()));
            if (!executing)
            {
                var redaction = RunRedaction.Load(redactors, run, (await RunQueries.Agent(db, run.AgentKey, ct))?.RedactionPatterns, actor);
                await RunStep.AppendAsync(db, redaction, run.Id, now, RunStepKind.Human, $"Cancelled by {actor}", ct: ct);
                run.Cancel($"Cancelled by {actor}.", now);
                await Escalation.CancelOpenAsync(db, run.Id, actor, now, ct);
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                continue;
            }

            if (executing)
            {
                cancellations.Cancel(run.Id);
            }

            notifications.Publish(new RunUpdated(run.Id, run.AgentKey, run.Status));
            return new RunCommandResult(RunCommandOutcome.Done, run.Id, executing ? "Cancelling: the run stops before its next step." : "Cancelled.");
        }
    }

    public async Task<RunPage> ListAsync(RunQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var limit = Math.Clamp(query.Limit, 1, MaxPageSize);
        var runs = Filter(db.Runs.AsNoTracking(), query);
        if (query.Cursor is not null)
        {
            if (!TryReadCursor(query.Cursor, out var at, out var id))
            {
                throw new FormatException("The cursor is not one this API returned.");
            }

            runs = runs.Where(r => r.CreatedAt < at || (r.CreatedAt == at && r.Id.CompareTo(id) < 0));
        }

        var items = await runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Select(r => r)
            .Take(limit + 1)
            .ToListAsync(ct);
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = WriteCursor(items[^1]);
        }

        return new RunPage(items, next);
    }

    public async Task<int> CountAsync(RunQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Filter(db.Runs.AsNoTracking(), query).CountAsync(ct);
    }

    private static IQueryable<Run> Filter(IQueryable<Run> runs, RunQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Agent))
        {
            var agent = query.Agent.Trim().ToLowerInvariant();
            runs = runs.Where(r => r.AgentKey == agent);
        }

        if (!string.IsNullOrWhiteSpace(query.Trigger))
        {
            var trigger = query.Trigger.Trim().ToLowerInvariant();
            runs = runs.Where(r => r.TriggerKey == trigger);
        }

        if (query.Status is { } status)
        {
            runs = runs.Where(r => r.Status == status);
        }

        if (query.From is { } from)
        {
            runs = runs.Where(r => r.CreatedAt >= from);
        }

        if (query.Kind is { } kind)
        {
            runs = runs.Where(r => r.Kind == kind);
        }

        if (query.To is { } to)
        {
            runs = runs.Where(r => r.CreatedAt < to);
        }

        return runs;
    }

    public async Task<RunDetail?> GetAsync(Guid runId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            return null;
        }

        var steps = await db.RunSteps.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Sequence).ToListAsync(ct);
        var escalations = await db.Escalations.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.CreatedAt).ToListAsync(ct);
        return new RunDetail(run, steps, escalations);
    }

    /// <summary>Production runs go to the default queue; every other kind to the evaluations queue, whose own workers keep them from starving production.</summary>
    internal void Enqueue(Guid runId, RunKind kind = RunKind.Production)
    {
        if (kind == RunKind.Production)
        {
            jobs.Enqueue<ExecuteRunJob>(job => job.ExecuteRun(runId, CancellationToken.None));
        }
        else
        {
            jobs.Enqueue<ExecuteRunJob>(Jobs.JobQueues.Evaluations, job => job.ExecuteRun(runId, CancellationToken.None));
        }
    }

    public static string Describe(RunStatus status) => status switch
    {
        RunStatus.WaitingForHuman => "waiting for a person",
        RunStatus.StoppedByLimit => "stopped by a limit",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string WriteCursor(Run run) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{run.CreatedAt.UtcTicks}:{run.Id}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryReadCursor(string cursor, out DateTimeOffset at, out Guid id)
    {
        (at, id) = (default, default);
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks && Guid.TryParse(parts[1], out id))
            {
                at = new DateTimeOffset(ticks, TimeSpan.Zero);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
