using AgentConsole.Engine.Tools;

namespace AgentConsole.Engine.Agents.Documentation;

/// <summary>One of the agent's grants as the tool registry declares it and the engine's approval rule treats it.</summary>
/// <param name="Available">False when this build has no such tool: the agent's model is not offered it.</param>
/// <param name="ApprovalReason">Why a call waits for a person (engine rule or escalation policy); null when it runs alone.</param>
public sealed record DocumentedTool(
    string Key,
    string Title,
    ToolScope Scope,
    ToolAccess Access,
    ToolReach Reach,
    bool Reversible,
    decimal CostToUndoUsd,
    bool Available,
    string? ApprovalReason)
{
    public bool NeedsApproval => ApprovalReason is not null;
}
