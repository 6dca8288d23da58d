using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// The practice guide's publish rule: a prompt or decision version goes live only after an evaluation of that exact
/// version reached the agent's threshold. The latest completed test-set evaluation of the version decides (a later
/// failing one withdraws an earlier pass). An Admin may override with a written reason; callers audit that.
/// </summary>
public sealed class PublishGate(IDbContextFactory<AgentConsoleDbContext> dbFactory)
{
    public async Task<PublishGateResult> CheckPromptAsync(string agentKey, Guid promptVersionId, int number, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var threshold = await ThresholdAsync(db, agentKey, ct);
        var latest = await db.Evaluations.AsNoTracking()
            .Where(e => e.AgentKey == agentKey && e.Kind == EvaluationKind.TestSet && e.Status == EvaluationStatus.Completed && e.PromptVersionId == promptVersionId)
            .OrderByDescending(e => e.CompletedAt)
            .FirstOrDefaultAsync(ct);
        return Judge(latest, threshold, $"prompt v{number}");
    }

    public async Task<PublishGateResult> CheckDecisionAsync(string agentKey, string decisionKey, int number, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var threshold = await ThresholdAsync(db, agentKey, ct);
        // The version map is a small JSON object; completed evaluations of one agent are few enough to filter here.
        var completed = await db.Evaluations.AsNoTracking()
            .Where(e => e.AgentKey == agentKey && e.Kind == EvaluationKind.TestSet && e.Status == EvaluationStatus.Completed)
            .OrderByDescending(e => e.CompletedAt)
            .Take(200)
            .ToListAsync(ct);
        var latest = completed.FirstOrDefault(e => DecisionVersionMap.Read(e.DecisionVersionsJson).TryGetValue(decisionKey, out var n) && n == number);
        return Judge(latest, threshold, $"decision '{decisionKey}' v{number}");
    }

    private static async Task<double> ThresholdAsync(AgentConsoleDbContext db, string agentKey, CancellationToken ct) =>
        await db.Agents.AsNoTracking().Where(a => a.Key == agentKey).Select(a => (double?)a.PublishThreshold).FirstOrDefaultAsync(ct)
            ?? Agents.Agent.DefaultPublishThreshold;

    private static PublishGateResult Judge(Evaluation? latest, double threshold, string what)
    {
        if (latest is null)
        {
            return new(false, $"No completed evaluation of {what} is on record; evaluate it against the agent's test set first (threshold {threshold:P0}).",
                null, null, threshold);
        }

        var rate = latest.PassRate ?? 0;
        return rate >= threshold
            ? new(true, $"{char.ToUpperInvariant(what[0])}{what[1..]} may be published: evaluation {latest.Id} passed {rate:P1} of its cases (threshold {threshold:P0}).",
                latest.Id, rate, threshold)
            : new(false, $"The latest evaluation of {what} ({latest.Id}) passed {rate:P1} of its cases, below the agent's threshold of {threshold:P0}.",
                latest.Id, rate, threshold);
    }
}
