namespace AgentConsole.Engine.Alerts;

/// <summary>How loud an alert is; an escalation rate over the redesign mark is Critical, most others Warning.</summary>
public enum AlertSeverity
{
    Warning,
    Critical,
}
