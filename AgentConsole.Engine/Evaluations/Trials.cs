using System.Text.Json.Nodes;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// "Try it": one input run against a draft (the latest prompt draft and decision drafts unless named) on sandbox
/// connections, on the evaluations queue; its page shows the live timeline like any run's.
/// </summary>
public sealed class Trials(IDbContextFactory<AgentConsoleDbContext> dbFactory, DecisionCatalog decisions, AgentRuns runs)
{
    public async Task<RunCommandResult> StartAsync(string agentKey, JsonObject? input, string? promptVersion, IReadOnlyDictionary<string, int>? decisionVersions,
        string actor, CancellationToken ct = default)
    {
        var key = agentKey.Trim().ToLowerInvariant();
        if (!EvaluationTarget.TryParsePromptVersion(promptVersion, out var promptId, out var promptNumber))
        {
            return RunCommandResult.Invalid($"'{promptVersion}' is not a prompt version: give its number (3 or v3) or its id.");
        }

        EvaluationTarget? target;
        EvaluationStartResult? refusal;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.Agents.AnyAsync(a => a.Key == key, ct))
            {
                return RunCommandResult.NotFound($"No agent with key '{agentKey}'.");
            }

            (target, refusal) = await EvaluationTarget.ResolveAsync(db, decisions, key, promptId, promptNumber, decisionVersions, ct);
        }

        if (target is null)
        {
            // The agent exists: a version it does not have is a bad request, not a missing agent.
            return RunCommandResult.Invalid(refusal!.Message!);
        }

        return await runs.StartPinnedAsync(key, input, actor,
            new RunSetup(RunKind.Trial, target.PromptVersionId, target.PromptVersionNumber, target.DecisionVersionsJson), enqueue: true, ct);
    }
}
