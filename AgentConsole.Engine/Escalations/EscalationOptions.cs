namespace AgentConsole.Engine.Escalations;

/// <summary>The review queue's settings (<c>AgentConsole:Escalations</c>); per-agent SLAs live in each agent's escalation policy.</summary>
public sealed class EscalationOptions
{
    public const string Section = "AgentConsole:Escalations";

    /// <summary>How long a reviewer's claim holds an item before others may take it. Default 30 minutes.</summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Open items due within this window count as "due soon". Default 1 hour.</summary>
    public TimeSpan DueSoonWindow { get; set; } = TimeSpan.FromHours(1);
}
