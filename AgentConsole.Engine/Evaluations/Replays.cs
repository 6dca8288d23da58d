using AgentConsole.Engine.Audit;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// What-if replay: historical production runs re-run against a draft with their recorded tool results frozen
/// (<see cref="ToolRecordings"/>), compared run by run (<see cref="ReplayComparison"/>). No connector is reached, so no
/// external effect is possible; the engine's own tools (escalate, evaluate a decision) still run.
/// </summary>
public sealed class Replays(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    DecisionCatalog decisions,
    ModelProviders models,
    IBackgroundJobClient jobs,
    AuditLog audit,
    TimeProvider time)
{
    public const int MaxRuns = 200;

    private static readonly RunStatus[] Replayable =
        [RunStatus.Succeeded, RunStatus.Failed, RunStatus.WaitingForHuman, RunStatus.StoppedByLimit, RunStatus.HandledByHuman, RunStatus.Cancelled];

    public async Task<EvaluationStartResult> StartAsync(string agentKey, ReplayRequest request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Limit is < 1 or > MaxRuns)
        {
            return EvaluationStartResult.Invalid($"A replay takes 1 to {MaxRuns} runs; {request.Limit} were asked for.");
        }

        if (request.From is { } from && request.To is { } to && from >= to)
        {
            return EvaluationStartResult.Invalid("'from' must be before 'to'.");
        }

        if (request.Status is { } status && !Replayable.Contains(status))
        {
            return EvaluationStartResult.Invalid($"Runs that are {status} have not finished; replay runs that ended or wait for a person.");
        }

        if (request.RunIds is { Count: > MaxRuns })
        {
            return EvaluationStartResult.Invalid($"A replay takes at most {MaxRuns} runs.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (found, refusal) = await EvaluatedAgent.FindAsync(db, models, agentKey, "No run could be replayed.", ct);
        if (found is null)
        {
            return refusal!;
        }

        var (agent, provider) = (found.Agent, found.Provider);
        var key = agent.Key;

        if (!EvaluationTarget.TryParsePromptVersion(request.PromptVersion, out var promptId, out var promptNumber))
        {
            return EvaluationStartResult.Invalid($"'{request.PromptVersion}' is not a prompt version: give its number (3 or v3) or its id.");
        }

        var (target, unresolved) = await EvaluationTarget.ResolveAsync(db, decisions, key, promptId, promptNumber, request.Decisions, ct);
        if (target is null)
        {
            return unresolved!;
        }

        var runs = db.Runs.AsNoTracking()
            .Where(r => r.AgentKey == key && r.Kind == RunKind.Production && r.RawDataPurgedAt == null && Replayable.Contains(r.Status));
        if (request.RunIds is { Count: > 0 } ids)
        {
            runs = runs.Where(r => ids.Contains(r.Id));
        }

        if (request.From is { } since)
        {
            runs = runs.Where(r => r.CreatedAt >= since);
        }

        if (request.To is { } until)
        {
            runs = runs.Where(r => r.CreatedAt < until);
        }

        if (request.Status is { } outcome)
        {
            runs = runs.Where(r => r.Status == outcome);
        }

        var sources = await runs.OrderByDescending(r => r.CreatedAt).Take(request.Limit)
            .Select(r => new { r.Id, r.CreatedAt, r.Status })
            .ToListAsync(ct);
        if (sources.Count == 0)
        {
            return EvaluationStartResult.Invalid("No historical run of this agent matches: replay takes production runs that ended or wait for a person and still have their input (run-data retention deletes it).");
        }

        var now = time.GetUtcNow();
        var evaluation = new Evaluation
        {
            Id = Guid.CreateVersion7(now),
            AgentKey = key,
            Kind = EvaluationKind.Replay,
            Status = EvaluationStatus.Queued,
            PromptVersionId = target.PromptVersionId,
            PromptVersionNumber = target.PromptVersionNumber,
            DecisionVersionsJson = target.DecisionVersionsJson,
            Provider = provider.Name,
            ModelId = provider.Model,
            Total = sources.Count,
            CreatedAt = now,
            CreatedBy = actor,
        };
        db.Evaluations.Add(evaluation);
        var cases = sources.OrderBy(s => s.CreatedAt).Select((s, i) => new EvaluationCase
        {
            Id = Guid.CreateVersion7(now),
            EvaluationId = evaluation.Id,
            Sequence = i + 1,
            Name = $"{s.Status} run of {s.CreatedAt:yyyy-MM-dd HH:mm} UTC",
            SourceRunId = s.Id,
            Verdict = CaseVerdict.Pending,
        }).ToList();
        db.EvaluationCases.AddRange(cases);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "replay.started", AuditActor.Parse(actor),
            $"What-if replay of {sources.Count} runs of {agent.Name} against {target.Describe()}",
            new { evaluationId = evaluation.Id, runs = sources.Count, promptVersion = target.PromptVersionNumber, decisions = target.DecisionVersionsJson },
            key));
        await db.SaveChangesAsync(ct);
        foreach (var @case in cases)
        {
            jobs.Enqueue<ReplayCaseJob>(job => job.Execute(@case.Id, CancellationToken.None));
        }

        return new EvaluationStartResult(EvaluationStartOutcome.Started, evaluation.Id);
    }
}
