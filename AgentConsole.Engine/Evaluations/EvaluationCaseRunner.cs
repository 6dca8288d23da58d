using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// Runs one case of an evaluation: the input goes through the engine's input checks, a pinned run of the evaluation's
/// kind is created once and executed inline, then scored. Safe to run twice: a case with a verdict is left alone, and a
/// case whose run exists reuses it (the executor itself skips a finished run). Any exception becomes the case's Error
/// verdict, so an evaluation never waits for a case forever.
/// </summary>
public sealed partial class EvaluationCaseRunner(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    AgentRuns runs,
    RunExecutor executor,
    EvaluationProgress progress,
    ILogger<EvaluationCaseRunner> logger)
{
    public async Task RunAsync(Guid caseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.EvaluationCases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == caseId, ct);
        if (item is null || item.Verdict != CaseVerdict.Pending)
        {
            return;
        }

        var evaluation = await db.Evaluations.AsNoTracking().SingleAsync(e => e.Id == item.EvaluationId, ct);
        if (evaluation.Status is EvaluationStatus.Cancelled or EvaluationStatus.Completed)
        {
            return;
        }

        await progress.StartedAsync(evaluation.Id, ct);

        Outcome outcome;
        try
        {
            outcome = await ScoreAsync(db, evaluation, item, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogCaseFailed(logger, caseId, evaluation.Id, ex);
            outcome = new Outcome(CaseVerdict.Error, [$"The case could not be run: {ex.Message}"], false, 0);
        }

        await progress.RecordAsync(caseId, outcome.Verdict, outcome.Reasons, null, outcome.Escalated, outcome.CostUsd, ct);
    }

    private async Task<Outcome> ScoreAsync(AgentConsoleDbContext db, Evaluation evaluation, EvaluationCase item, CancellationToken ct)
    {
        var test = item.TestCaseId is { } testId ? await db.TestCases.AsNoTracking().SingleOrDefaultAsync(t => t.Id == testId, ct) : null;
        if (test is null)
        {
            return new Outcome(CaseVerdict.Error, ["The test case was deleted after the evaluation started."], false, 0);
        }

        var runId = item.RunId;
        if (runId is null)
        {
            var started = await StartRunAsync(db, evaluation, item.Id, test, ct);
            if (started.Refused is { } refusal)
            {
                return Judge(CaseScoring.Score(test, CaseRunFacts.Refused(refusal)), false, 0);
            }

            runId = started.RunId;
        }

        await executor.ExecuteAsync(runId!.Value, ct);
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
        if (run.Status is RunStatus.Queued or RunStatus.Running)
        {
            // Another executor holds the run (a second execution of this job); Hangfire retries this one later.
            throw new InvalidOperationException($"Run {run.Id} is still executing elsewhere.");
        }

        var steps = await db.RunSteps.AsNoTracking().Where(s => s.RunId == run.Id && s.Kind == RunStepKind.ToolCall).ToListAsync(ct);
        return Judge(CaseScoring.Score(test, CaseRunFacts.From(run, steps)), run.EscalationCount > 0, run.CostUsd);
    }

    private static Outcome Judge(CaseScore score, bool escalated, decimal cost) =>
        new(score.Passed ? CaseVerdict.Passed : CaseVerdict.Failed, score.Reasons, escalated, cost);

    /// <summary>
    /// Stages the pinned run and stores its id on the case in one save, so a second execution of the job finds the run
    /// instead of starting another (the case's RunId is a concurrency token: a racing save fails and reuses the winner's).
    /// </summary>
    private async Task<(Guid? RunId, string? Refused)> StartRunAsync(AgentConsoleDbContext db, Evaluation evaluation, Guid caseId, TestCase test, CancellationToken ct)
    {
        var agent = await RunQueries.Agent(db, evaluation.AgentKey, ct)
            ?? throw new InvalidOperationException($"The agent '{evaluation.AgentKey}' no longer exists.");
        JsonObject? input;
        try
        {
            input = JsonNode.Parse(test.InputJson) as JsonObject;
        }
        catch (JsonException)
        {
            input = null;
        }

        var setup = new RunSetup(RunKind.Evaluation, evaluation.PromptVersionId, evaluation.PromptVersionNumber, evaluation.DecisionVersionsJson, evaluation.Id);
        var staged = runs.Stage(db, agent, input, evaluation.CreatedBy, setup: setup);
        if (staged.Outcome == RunCommandOutcome.Invalid)
        {
            var errors = staged.Errors is null ? "" : " " + string.Join(" ", staged.Errors.SelectMany(e => e.Value));
            return (null, $"{staged.Message}{errors}");
        }

        if (staged.Outcome != RunCommandOutcome.Done)
        {
            throw new InvalidOperationException(staged.Message ?? "The run could not be started.");
        }

        var tracked = await db.EvaluationCases.SingleAsync(c => c.Id == caseId, ct);
        if (tracked.RunId is { } existing)
        {
            return (existing, null);
        }

        tracked.RunId = staged.RunId;
        try
        {
            await db.SaveChangesAsync(ct);
            return (staged.RunId, null);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await dbFactory.CreateDbContextAsync(ct);
            var winner = await fresh.EvaluationCases.AsNoTracking().Where(c => c.Id == caseId).Select(c => c.RunId).SingleAsync(ct);
            return (winner ?? throw new InvalidOperationException("The case's run could not be recorded."), null);
        }
    }

    private sealed record Outcome(CaseVerdict Verdict, IReadOnlyList<string> Reasons, bool Escalated, decimal CostUsd);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evaluation case {CaseId} of evaluation {EvaluationId} could not be run")]
    private static partial void LogCaseFailed(ILogger logger, Guid caseId, Guid evaluationId, Exception ex);
}
