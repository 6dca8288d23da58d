namespace AgentConsole.Triggers;

/// <summary>
/// The answer to an accepted webhook: 202 with the new event's id, or 200 with the original event's id when the
/// request repeated one within the de-duplication window (<paramref name="Duplicate"/>; it is not run again).
/// </summary>
public sealed record WebhookAcceptedResponse(Guid EventId, bool Duplicate);
