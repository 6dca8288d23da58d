using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Evaluations;

/// <summary>The agent an evaluation or a replay runs, and the model it runs on: both must exist before anything is queued.</summary>
public sealed record EvaluatedAgent(Agent Agent, ModelProvider Provider)
{
    /// <param name="nothingRuns">What the refusal adds when the model is missing, e.g. "No case could run."</param>
    public static async Task<(EvaluatedAgent? Found, EvaluationStartResult? Refusal)> FindAsync(
        AgentConsoleDbContext db, ModelProviders models, string agentKey, string nothingRuns, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(models);
        var key = agentKey.Trim().ToLowerInvariant();
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Key == key, ct);
        if (agent is null)
        {
            return (null, EvaluationStartResult.NotFound($"No agent with key '{agentKey}'."));
        }

        var provider = models.Resolve(agent.Model);
        if (provider is null || !provider.IsConfigured)
        {
            return (null, new(EvaluationStartOutcome.Conflict, Message: (provider?.NotConfiguredReason
                ?? $"The agent names model provider '{agent.Model}', which is not configured (AgentConsole:Models:Providers).") + " " + nothingRuns));
        }

        return (new EvaluatedAgent(agent, provider), null);
    }
}
