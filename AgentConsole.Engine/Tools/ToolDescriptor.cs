using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;

namespace AgentConsole.Engine.Tools;

public enum ToolAccess
{
    Read,
    Write,
}

public enum ToolReach
{
    Internal,
    External,
}

/// <summary>What a tool's handler gets besides its arguments.</summary>
public sealed record ToolInvocation(Guid RunId, string AgentKey, string CallId, IServiceProvider Services);

/// <summary>
/// A capability an agent can be granted. The access, reach, reversibility and cost to undo drive the engine's
/// approval policy; the prompt never does.
/// </summary>
public sealed record ToolDescriptor(
    string Name,
    string Title,
    string Description,
    ToolAccess Access,
    ToolReach Reach,
    bool Reversible,
    decimal CostToUndoUsd,
    string ParametersSchema,
    Func<JsonObject, ToolInvocation, CancellationToken, ValueTask<JsonNode?>> Handler)
{
    public JsonElement Schema { get; } = JsonDocument.Parse(ParametersSchema).RootElement.Clone();

    /// <summary>The lowest autonomy level at which the tool runs without a person's approval.</summary>
    public AutonomyLevel MinimumAutonomy => (Access, Reach) switch
    {
        (ToolAccess.Read, _) => AutonomyLevel.ReadOnlyResearch,
        (ToolAccess.Write, ToolReach.Internal) when Name.Contains("notify", StringComparison.Ordinal) => AutonomyLevel.InternalNotifications,
        (ToolAccess.Write, ToolReach.Internal) => AutonomyLevel.InternalRecordUpdates,
        _ => AutonomyLevel.ExternalLowStakes,
    };
}

/// <summary>The practice guide's policy: irreversible or costly-to-undo actions and actions above the agent's autonomy wait for a person.</summary>
public static class ToolPolicy
{
    public const decimal DefaultApprovalThresholdUsd = 100m;

    public static string? ApprovalReason(ToolDescriptor tool, AutonomyLevel level, decimal thresholdUsd = DefaultApprovalThresholdUsd)
    {
        if (tool.Access == ToolAccess.Read || tool.Name == BuiltInTools.Escalate)
        {
            return null;
        }

        if (!tool.Reversible)
        {
            return $"'{tool.Name}' cannot be undone, so it is never autonomous.";
        }

        if (tool.CostToUndoUsd > thresholdUsd)
        {
            return $"'{tool.Name}' costs ${tool.CostToUndoUsd:0.##} to undo, more than the ${thresholdUsd:0.##} an autonomous action may.";
        }

        if (level < tool.MinimumAutonomy)
        {
            return $"'{tool.Name}' needs autonomy level '{AgentRules.Describe(tool.MinimumAutonomy)}'; the agent is at '{AgentRules.Describe(level)}'.";
        }

        if (level == AutonomyLevel.ExternalHighStakesWithReview && tool.Reach == ToolReach.External)
        {
            return $"'{tool.Name}' acts outside the business and the agent's level asks for review of external actions.";
        }

        return null;
    }
}
