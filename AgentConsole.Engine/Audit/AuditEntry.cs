namespace AgentConsole.Engine.Audit;

/// <summary>Who did something: a person, an API key, an agent run or the system.</summary>
public readonly record struct AuditActor(AuditActorType Type, string Name)
{
    public static readonly AuditActor System = new(AuditActorType.System, "system");

    public static AuditActor User(string email) => new(AuditActorType.User, email);

    public static AuditActor Run(string runId) => new(AuditActorType.Run, runId);

    /// <summary>Reads the actor names the console uses elsewhere ("api-key:name", "system", an email).</summary>
    public static AuditActor Parse(string actor) => actor switch
    {
        "system" => System,
        _ when actor.StartsWith("api-key:", StringComparison.Ordinal) => new(AuditActorType.ApiKey, actor["api-key:".Length..]),
        _ => User(actor),
    };

    public override string ToString() => Type == AuditActorType.ApiKey ? $"api-key:{Name}" : Name;
}

/// <summary>What a feature hands to <see cref="AuditLog"/>: one thing that happened.</summary>
public sealed record AuditEntry(
    AuditCategory Category,
    string Action,
    AuditActor Actor,
    string Summary,
    object? Payload = null,
    string? AgentKey = null,
    string? RunId = null);
