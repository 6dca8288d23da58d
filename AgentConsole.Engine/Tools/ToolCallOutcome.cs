using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Tools;

/// <summary>How a call ended after all its attempts.</summary>
public sealed record ToolCallOutcome(JsonNode? Result, ToolFailureKind? Failure, string? Error, int Attempts)
{
    public bool Succeeded => Failure is null;

    public static ToolCallOutcome Success(JsonNode? result, int attempts) => new(result, null, null, attempts);

    public static ToolCallOutcome Failed(ToolFailureKind kind, string error, int attempts) => new(null, kind, error, attempts);
}
