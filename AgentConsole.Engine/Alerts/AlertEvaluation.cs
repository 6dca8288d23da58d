namespace AgentConsole.Engine.Alerts;

/// <summary>What one evaluation pass did: rules checked, alerts fired and resolved, rules that failed (and were skipped).</summary>
public sealed record AlertEvaluation(int Rules, int Fired, int Resolved, int Failed);
