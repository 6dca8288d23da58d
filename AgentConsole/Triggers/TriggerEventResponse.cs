using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers;

namespace AgentConsole.Triggers;

/// <summary>One inbox event; the payload only on the single-event read (lists stay small and free of personal data).</summary>
public sealed record TriggerEventResponse(
    Guid Id,
    string Trigger,
    TriggerEventStatus Status,
    string? Reason,
    bool Matched,
    Guid? RunId,
    Guid? DuplicateOf,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? ProcessedAt,
    string? Source,
    JsonNode? Payload)
{
    public static TriggerEventResponse From(TriggerEvent e, bool withPayload) => new(
        e.Id, e.TriggerKey, e.Status, e.Reason, e.Matched, e.RunId, e.DuplicateOf, e.ReceivedAt, e.ProcessedAt, e.Source,
        withPayload && e.PayloadJson is { } json ? JsonNode.Parse(json) : null);
}
