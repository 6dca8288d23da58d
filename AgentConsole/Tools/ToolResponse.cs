using System.Text.Json;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Tools;

namespace AgentConsole.Tools;

/// <summary>A registered tool as <c>GET /api/v1/tools</c> returns it: what it declares and where its calls go.</summary>
/// <param name="Mode">The mode of its connection; null for built-ins, which have none.</param>
/// <param name="AutonomousAt">The autonomy levels at which a write-scope call runs without approval (empty: never).</param>
public sealed record ToolResponse(
    string Key,
    string Title,
    string Description,
    ToolAccess Access,
    ToolReach Reach,
    bool Reversible,
    decimal CostToUndoUsd,
    string Connector,
    string? Connection,
    ConnectionMode? Mode,
    bool BuiltIn,
    bool NotificationOnly,
    bool Idempotent,
    bool SupportsReadScope,
    IReadOnlyList<AutonomyLevel> AutonomousAt,
    JsonElement Parameters)
{
    public static ToolResponse From(ToolDefinition tool, ConnectionMode? mode, decimal thresholdUsd) => new(
        tool.Key, tool.Title, tool.Description, tool.Access, tool.Reach, tool.Reversible, tool.CostToUndoUsd, tool.Connector,
        tool.BuiltIn ? null : tool.Connection, tool.BuiltIn ? null : mode ?? ConnectionMode.Sandbox, tool.BuiltIn,
        tool.NotificationOnly, tool.Idempotent, tool.SupportsReadScope, LevelsWithoutApproval(tool, thresholdUsd), tool.Schema);

    public static IReadOnlyList<AutonomyLevel> LevelsWithoutApproval(ToolDefinition tool, decimal thresholdUsd) =>
        [.. Enum.GetValues<AutonomyLevel>().Where(level => ToolPolicy.ApprovalReason(tool, ToolScope.Write, level, thresholdUsd) is null)];
}
