using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;

namespace AgentConsole.Tests.Runs;

/// <summary>A test connector for a system without idempotency keys: one internal write, never safe to send twice.</summary>
public sealed class UnkeyedConnector : IConnector
{
    public const string Tool = "legacy_note";

    public string Key => "legacy";

    public string Name => "Legacy notes (test)";

    public IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new(Tool, "Add a note in the legacy system", "Adds a note; the system has no idempotency keys.",
            """{"type":"object","properties":{"note":{"type":"string"}},"required":["note"]}""",
            ToolAccess.Write, ToolReach.Internal, Reversible: true, CostToUndoUsd: 1, "legacy", "legacy"),
    ];

    public Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct) =>
        Task.FromResult<JsonNode?>(new JsonObject { ["noted"] = toolCall.Text("note") });
}
