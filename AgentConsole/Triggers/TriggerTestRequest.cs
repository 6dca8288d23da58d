using System.Text.Json.Nodes;

namespace AgentConsole.Triggers;

/// <summary>The optional body of "test this trigger": a payload to try (default: the kind's sample payload).</summary>
public sealed record TriggerTestRequest(JsonObject? Payload);
