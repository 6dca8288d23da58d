using AgentConsole.Engine.Agents;

namespace AgentConsole.Engine.Tools;

/// <summary>
/// The practice guide's policy, from each tool's declared properties: irreversible actions, actions costlier to undo
/// than the threshold and actions above the agent's autonomy level wait for a person. Enforced by the engine, never
/// by the prompt.
/// </summary>
public static class ToolPolicy
{
    public const decimal DefaultApprovalThresholdUsd = 100m;

    /// <summary>Why a call in this scope needs approval at this autonomy level, or null when it may run alone.</summary>
    /// <param name="stakes">A particular call's raised cost to undo (see <see cref="IConnector.AssessAsync"/>).</param>
    /// <summary>
    /// The rule for one agent: the engine's (<see cref="ApprovalReason"/>) plus the agent's escalation policy, whose
    /// approval tools wait for a person on every call. What runs, the agent page, the API and the documentation all use it.
    /// </summary>
    public static string? ApprovalReasonFor(Agents.Agent agent, ToolDefinition tool, ToolScope scope, decimal thresholdUsd = DefaultApprovalThresholdUsd, CallStakes? stakes = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(tool);
        return ApprovalReason(tool, scope, agent.AutonomyLevel, thresholdUsd, stakes)
            ?? (!tool.BuiltIn && (agent.Escalation?.ApprovalTools ?? []).Contains(tool.Key, StringComparer.Ordinal)
                ? $"{agent.Name}'s escalation policy asks a person to approve every call to '{tool.Key}'."
                : null);
    }

    public static string? ApprovalReason(ToolDefinition tool, ToolScope scope, AutonomyLevel level, decimal thresholdUsd = DefaultApprovalThresholdUsd, CallStakes? stakes = null)
    {
        if (tool.BuiltIn || tool.EffectiveAccess(scope) == ToolAccess.Read)
        {
            return null;
        }

        if (!tool.Reversible)
        {
            return $"'{tool.Key}' cannot be undone, so it is never autonomous.";
        }

        var cost = Math.Max(tool.CostToUndoUsd, stakes?.CostToUndoUsd ?? 0);
        if (cost > thresholdUsd)
        {
            var why = stakes is not null && stakes.CostToUndoUsd > tool.CostToUndoUsd ? $" ({stakes.Reason})" : "";
            return $"'{tool.Key}' costs ${cost:0.##} to undo{why}, more than the ${thresholdUsd:0.##} an autonomous action may.";
        }

        var minimum = tool.MinimumAutonomy(scope);
        if (level < minimum)
        {
            return $"'{tool.Key}' needs autonomy level '{AgentRules.Describe(minimum)}'; the agent is at '{AgentRules.Describe(level)}'.";
        }

        if (level == AutonomyLevel.ExternalHighStakesWithReview && tool.Reach == ToolReach.External)
        {
            return $"'{tool.Key}' acts outside the business and the agent's level asks for review of external actions.";
        }

        return null;
    }
}
