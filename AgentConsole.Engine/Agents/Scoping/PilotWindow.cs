namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>The part of a 30-day pilot that has happened: from its start (00:00 UTC) to its end or now, whichever is first.</summary>
public sealed record PilotWindow(DateOnly Start, DateTimeOffset From, DateTimeOffset To, bool Running, int DaysElapsed);
