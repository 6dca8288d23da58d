namespace AgentConsole.Engine.Audit;

/// <summary>Who did something: a person, an API key, an agent run or the system.</summary>
public readonly record struct AuditActor(AuditActorType Type, string Name)
{
    public static readonly AuditActor System = new(AuditActorType.System, "system");

    public static AuditActor User(string email) => new(AuditActorType.User, email);

    public static AuditActor Run(string runId) => new(AuditActorType.Run, runId);

    public static AuditActor Trigger(string triggerKey) => new(AuditActorType.Trigger, triggerKey);

    /// <summary>Reads the actor names the console uses elsewhere ("api-key:name", "trigger:key", "system", an email).</summary>
    public static AuditActor Parse(string actor) => actor switch
    {
        "system" => System,
        _ when actor.StartsWith("api-key:", StringComparison.Ordinal) => new(AuditActorType.ApiKey, actor["api-key:".Length..]),
        _ when actor.StartsWith("trigger:", StringComparison.Ordinal) => Trigger(actor["trigger:".Length..]),
        _ => User(actor),
    };

    public override string ToString() => Type switch
    {
        AuditActorType.ApiKey => $"api-key:{Name}",
        AuditActorType.Trigger => $"trigger:{Name}",
        _ => Name,
    };
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
