namespace AgentConsole.Triggers;

/// <summary>The answer to a create: where senders post, and the signing secret — shown this once (and on rotation).</summary>
public sealed record TriggerCreatedResponse(string Key, string? Url, string? Secret, TriggerResponse Trigger);
