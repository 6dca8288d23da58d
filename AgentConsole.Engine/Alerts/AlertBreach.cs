namespace AgentConsole.Engine.Alerts;

/// <summary>One subject over a rule's threshold right now, as <see cref="AlertSignals"/> measured it.</summary>
public sealed record AlertBreach(string Subject, string? AgentKey, AlertSeverity Severity, double Value, double Threshold, string Message);
