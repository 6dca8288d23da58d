namespace AgentConsole.Engine.Alerts;

/// <summary>
/// A page of alerts, newest first: <paramref name="Status"/> null = all; <paramref name="Cursor"/> is the previous page's
/// <see cref="AlertPage.NextCursor"/>.
/// </summary>
public sealed record AlertQuery(AlertStatus? Status = null, string? AgentKey = null, long? Cursor = null, int Limit = 50);
