namespace AgentConsole.Engine.Alerts;

/// <summary>What acknowledging did, with the alert as it now stands (null when not found).</summary>
public sealed record AlertAcknowledgement(AlertAcknowledgeOutcome Outcome, Alert? Alert, string Message);
