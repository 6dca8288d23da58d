namespace AgentConsole.Engine.Alerts;

/// <summary>An alert fires, stays one row while the condition holds, and resolves once it no longer does.</summary>
public enum AlertStatus
{
    Firing,
    Resolved,
}
