using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Triggers;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Agents.Documentation;

/// <summary>
/// Builds an agent's documentation from what the engine runs it with: the agent catalog, the tool registry and the
/// approval rule the toolbox applies, the decision catalog, the trigger catalog and the prompt source. Nothing here
/// keeps its own list, so the document cannot drift from the behaviour.
/// </summary>
public sealed class AgentDocumentation(
    AgentCatalog agents,
    ToolRegistry tools,
    DecisionCatalog decisions,
    TriggerCatalog triggers,
    AgentPromptSource prompts,
    Scoping.AgentScorecards scorecards,
    Models.ModelProviders models,
    IOptions<RunOptions> runOptions,
    TimeProvider time)
{
    /// <summary>The documentation of <paramref name="agentKey"/>, or null when there is no such agent.</summary>
    public async Task<AgentDocument?> BuildAsync(string agentKey, CancellationToken ct = default)
    {
        var agent = await agents.FindAsync(agentKey, ct);
        if (agent is null)
        {
            return null;
        }

        var threshold = runOptions.Value.ApprovalThresholdUsd;
        return new AgentDocument(
            agent.Key,
            agent.Name,
            agent.Purpose,
            agent.Status,
            agent.AutonomyLevel,
            AutonomyAllows(agent.AutonomyLevel),
            await TriggersAsync(agent.Key, ct),
            Tools(agent, threshold),
            threshold,
            await DecisionsAsync(agent.Key, ct),
            agent.EngineRoutes,
            agent.Escalation ?? new(),
            agent.MaxSteps,
            agent.BudgetPerRunUsd,
            agent.WallClockLimitSeconds,
            agent.Model ?? $"{models.DefaultName} (the default provider)",
            await prompts.CurrentAsync(agent, ct),
            agent.Revision,
            agent.UpdatedAt,
            agent.UpdatedBy,
            time.GetUtcNow(),
            await scorecards.BuildAsync(agent.Key, ct));
    }

    /// <summary>What an autonomy level lets through without a person; the engine's rule for costly or irreversible actions applies at every level.</summary>
    public static string AutonomyAllows(AutonomyLevel level) => level switch
    {
        AutonomyLevel.ReadOnlyResearch => "Reads on its own; every write waits for a person.",
        AutonomyLevel.InternalNotifications => "Reads and posts internal notifications on its own; record updates and external actions wait for a person.",
        AutonomyLevel.InternalRecordUpdates => "Reads, notifies and updates internal records on its own; actions that reach outside the business wait for a person.",
        AutonomyLevel.ExternalLowStakes => "Also acts outside the business (e-mail, calendar, external APIs) on its own when the action is reversible and cheap to undo.",
        AutonomyLevel.ExternalHighStakesWithReview => "Internal actions run on their own; every action that reaches outside the business waits for a person's review.",
        AutonomyLevel.FullyAutonomous => "Every granted action runs on its own, except those the engine's rule or the escalation policy send to a person.",
        _ => level.ToString(),
    };

    private IReadOnlyList<DocumentedTool> Tools(Agent agent, decimal threshold) =>
    [
        .. agent.Tools.Select(grant => tools.Find(grant.Tool) is { } tool
            ? new DocumentedTool(
                tool.Key,
                tool.Title,
                ToolRegistry.Normalize(tool, grant.Scope),
                tool.EffectiveAccess(ToolRegistry.Normalize(tool, grant.Scope)),
                tool.Reach,
                tool.Reversible,
                tool.CostToUndoUsd,
                Available: true,
                ToolPolicy.ApprovalReasonFor(agent, tool, ToolRegistry.Normalize(tool, grant.Scope), threshold))
            : new DocumentedTool(grant.Tool, grant.Tool, grant.Scope, ToolAccess.Write, ToolReach.Internal, false, 0, Available: false,
                $"This build has no tool '{grant.Tool}': the agent cannot call it.")),
    ];

    private async Task<IReadOnlyList<DocumentedDecision>> DecisionsAsync(string agentKey, CancellationToken ct)
    {
        var documented = new List<DocumentedDecision>();
        foreach (var summary in await decisions.ListAsync(agentKey, ct))
        {
            // Runs evaluate the published version; a decision with only a draft is shown as such (runs skip it).
            var published = summary.PublishedVersion is not null;
            var loaded = await decisions.LoadAsync(summary.Key, published ? DecisionCatalog.Published : null, ct);
            documented.Add(new DocumentedDecision(
                summary.Key,
                summary.Name,
                loaded?.Version.Number,
                published,
                summary.DraftVersion,
                loaded?.Definition));
        }

        return documented;
    }

    private async Task<IReadOnlyList<DocumentedTrigger>> TriggersAsync(string agentKey, CancellationToken ct) =>
    [
        .. (await triggers.ListAsync(agentKey, ct)).Select(t => new DocumentedTrigger(
            t.Key, t.Name, t.Kind, t.Enabled, TriggerFilter.FromJson(t.FilterJson) is { } filter ? Describe(filter) : null)),
    ];

    /// <summary>A filter in words: conditions joined by "and" / "or", nested groups in brackets.</summary>
    internal static string? Describe(TriggerFilter filter)
    {
        var joiner = filter.Match == FilterMatch.All ? " and " : " or ";
        var parts = filter.Conditions.Select(c => $"{c.Path}: {c.Test}")
            .Concat(filter.SubGroups.Select(Describe).OfType<string>().Select(g => $"({g})"))
            .ToList();
        return parts.Count == 0 ? null : string.Join(joiner, parts);
    }
}
