namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>An agent's scoping data, the manual baseline it gives and the pilot scorecard against it.</summary>
/// <param name="Scoping">Null until someone records the scoping.</param>
public sealed record AgentScorecard(string AgentKey, AgentScoping? Scoping, ManualBaseline? Baseline, PilotScorecard Pilot);
