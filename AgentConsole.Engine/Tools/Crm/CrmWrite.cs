namespace AgentConsole.Engine.Tools.Crm;

/// <summary>Who writes to the sandbox CRM and, for an agent's call, the key that makes the write happen once.</summary>
public sealed record CrmWrite(string Actor, string? Tool = null, string? AgentKey = null, Guid? RunId = null, string? CallId = null, string? IdempotencyKey = null)
{
    public static CrmWrite From(ToolCall toolCall) => new(
        $"agent:{toolCall.AgentKey}",
        toolCall.Tool.Key,
        toolCall.AgentKey,
        toolCall.RunId == Guid.Empty ? null : toolCall.RunId,
        toolCall.CallId,
        toolCall.IdempotencyKey);

    public static CrmWrite ByPerson(string actor) => new(actor);
}
