namespace AgentConsole.Monitoring;

/// <summary>How many ended runs the rebuilt rollups count.</summary>
public sealed record RebuildResponse(int EndedRuns);
