namespace AgentConsole.Engine.Escalations;

/// <summary>Who decides: the actor as recorded (an e-mail or <c>api-key:name</c>), their roles and e-mail (for named reviewers).</summary>
public sealed record EscalationReviewer(string Actor, IReadOnlyCollection<string> Roles, string? Email = null)
{
    /// <summary>The SLA job applying a policy's default action.</summary>
    public static readonly EscalationReviewer Sla = new("system", [Access.Roles.Admin]);

    public bool IsSla => ReferenceEquals(this, Sla);
}
