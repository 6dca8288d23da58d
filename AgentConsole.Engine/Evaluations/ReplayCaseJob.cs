using System.Text.Json.Nodes;
using AgentConsole.Engine.Jobs;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// Replays one historical run against the evaluation's draft and records what changed. Thin and safe to run twice: a
/// recorded case is left alone, and the replay run is created once and then only executed again (the executor resumes it).
/// </summary>
public sealed class ReplayCaseJob(IDbContextFactory<AgentConsoleDbContext> dbFactory, AgentRuns runs, RunExecutor executor, EvaluationProgress progress)
{
    [Queue(JobQueues.Evaluations)]
    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [JobDisplayName("Replay case {0}")]
    public async Task Execute(Guid caseId, CancellationToken cancellationToken)
    {
        try
        {
            await ReplayAsync(caseId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One broken case never leaves the evaluation waiting: it is an error with its reason.
            await progress.RecordAsync(caseId, CaseVerdict.Error, [$"The replay could not run: {ex.GetType().Name}: {ex.Message}"], null, false, 0, CancellationToken.None);
        }
    }

    private async Task ReplayAsync(Guid caseId, CancellationToken ct)
    {
        Guid runId;
        Run source;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var @case = await db.EvaluationCases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == caseId, ct);
            if (@case is null || @case.Verdict != CaseVerdict.Pending)
            {
                return;
            }

            var evaluation = await db.Evaluations.AsNoTracking().SingleAsync(e => e.Id == @case.EvaluationId, ct);
            await progress.StartedAsync(evaluation.Id, ct);
            var found = @case.SourceRunId is { } sourceId ? await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == sourceId, ct) : null;
            if (found is null || found.RawDataPurgedAt is not null)
            {
                await progress.RecordAsync(caseId, CaseVerdict.Error,
                    [found is null ? "The historical run no longer exists." : "The historical run's input and tool records were deleted by run-data retention."], null, false, 0, ct);
                return;
            }

            source = found;
            if (@case.RunId is { } existing)
            {
                runId = existing;
            }
            else
            {
                var setup = new RunSetup(RunKind.Replay, evaluation.PromptVersionId, evaluation.PromptVersionNumber, evaluation.DecisionVersionsJson,
                    evaluation.Id, source.Id, source.RedactionJson);
                var started = await runs.StartPinnedAsync(source.AgentKey, JsonNode.Parse(source.InputJson) as JsonObject, evaluation.CreatedBy, setup, enqueue: false, ct);
                if (started.RunId is not { } created)
                {
                    await progress.RecordAsync(caseId, CaseVerdict.Error, [$"The replay was refused: {started.Message}"], null, false, 0, ct);
                    return;
                }

                runId = created;
                await db.EvaluationCases.Where(c => c.Id == caseId).ExecuteUpdateAsync(s => s.SetProperty(c => c.RunId, created), ct);
            }
        }

        await executor.ExecuteAsync(runId, ct);

        await using var read = await dbFactory.CreateDbContextAsync(ct);
        var replay = await read.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
        var sourceSteps = await read.RunSteps.AsNoTracking().Where(s => s.RunId == source.Id).ToListAsync(ct);
        var replaySteps = await read.RunSteps.AsNoTracking().Where(s => s.RunId == runId).ToListAsync(ct);
        var comparison = ReplayComparison.Compare(source, sourceSteps, replay, replaySteps);
        var reasons = comparison.Changes().ToList();
        if (replay.Status == RunStatus.Failed)
        {
            reasons.Add($"The replay failed: {replay.Reason}");
        }

        if (comparison.NotRecorded.Count > 0)
        {
            reasons.Add($"No recording for: {string.Join(", ", comparison.NotRecorded)} (answered \"not recorded\").");
        }

        var verdict = comparison.Changed || replay.Status == RunStatus.Failed ? CaseVerdict.Failed : CaseVerdict.Passed;
        await progress.RecordAsync(caseId, verdict, reasons, comparison.ToJson(), replay.EscalationCount > 0, replay.CostUsd, ct);
    }
}
