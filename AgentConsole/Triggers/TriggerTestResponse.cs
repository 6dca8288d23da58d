using System.Text.Json.Nodes;

namespace AgentConsole.Triggers;

/// <summary>What a payload would do: pass or fail the filter (and why), and the agent input it maps to.</summary>
public sealed record TriggerTestResponse(bool Matched, string? Reason, JsonObject Payload, JsonObject? Input, IReadOnlyDictionary<string, string[]> InputErrors);
