namespace AgentConsole.Engine.Alerts;

/// <summary>What happened to an alert, for pages that show alerts live.</summary>
public enum AlertChange
{
    Fired,
    Resolved,
    Acknowledged,
}

/// <summary>An alert fired, resolved or was acknowledged (published in-process after the commit).</summary>
public sealed record AlertChanged(long AlertId, Guid RuleId, string? AgentKey, AlertChange Change);
