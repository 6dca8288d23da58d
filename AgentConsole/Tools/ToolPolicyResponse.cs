using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Tools;

namespace AgentConsole.Tools;

/// <summary>
/// One of an agent's grants as the engine's policy treats it at the agent's autonomy level: whether a call waits for a
/// person and why. Computed with <see cref="ToolPolicy.ApprovalReasonFor"/>, the rule the engine enforces (escalation policy included), never a copy.
/// </summary>
/// <param name="Available">False when this build has no such tool: the agent's model is not offered it.</param>
/// <param name="NeedsApproval">A call's declared stakes already need a person (a call's own stakes may raise them further).</param>
public sealed record ToolPolicyResponse(string Key, string Scope, bool Available, bool NeedsApproval, string? Reason)
{
    public static IReadOnlyList<ToolPolicyResponse> For(Agent agent, ToolRegistry registry, decimal thresholdUsd) =>
    [
        .. agent.Tools.Select(grant =>
        {
            var scope = grant.Scope == ToolScope.Read ? "read" : "write";
            if (registry.Find(grant.Tool) is not { } tool)
            {
                return new ToolPolicyResponse(grant.Tool, scope, false, false, $"This build has no tool '{grant.Tool}': the agent cannot call it.");
            }

            var reason = ToolPolicy.ApprovalReasonFor(agent, tool, ToolRegistry.Normalize(tool, grant.Scope), thresholdUsd);
            return new ToolPolicyResponse(grant.Tool, scope, true, reason is not null, reason);
        }),
    ];
}
