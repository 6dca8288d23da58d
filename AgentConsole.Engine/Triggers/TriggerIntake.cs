using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Triggers;

/// <summary>
/// One event arriving at a trigger: its payload (a JSON object), the sender's idempotency key if it gave one
/// (the <c>Idempotency-Key</c> header, an e-mail's Message-ID, a row's key), and where it came from.
/// </summary>
public sealed record TriggerIntake(JsonObject Payload, string? IdempotencyKey = null, string? Source = null);
