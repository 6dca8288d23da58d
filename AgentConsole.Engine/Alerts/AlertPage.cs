namespace AgentConsole.Engine.Alerts;

/// <summary>One page of alerts, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record AlertPage(IReadOnlyList<Alert> Items, long? NextCursor);
