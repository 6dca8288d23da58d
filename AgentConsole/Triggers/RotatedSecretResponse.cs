namespace AgentConsole.Triggers;

/// <summary>The new signing secret (shown this once) and until when the previous one still verifies.</summary>
public sealed record RotatedSecretResponse(string Secret, DateTimeOffset? PreviousValidUntil);
