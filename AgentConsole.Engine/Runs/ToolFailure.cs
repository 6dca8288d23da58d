using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;

namespace AgentConsole.Engine.Runs;

/// <summary>A tool call the engine gave up on: what failed, how often, the last error.</summary>
internal sealed record ToolFailure(string Tool, string CallId, ToolFailureKind Kind, int Attempts, string LastError)
{
    public string Describe() => Kind == ToolFailureKind.Permanent
        ? $"{Tool} failed on attempt {Attempts} and retrying cannot fix it (not retried); last error: {LastError}"
        : $"{Tool} failed {Attempts} time{(Attempts == 1 ? "" : "s")} in a row; last error: {LastError}";

    /// <summary>
    /// The escalation's structured detail, so the escalation card can show what failed, how often and the last error
    /// without parsing the reason sentence. Redacted like every text the engine writes.
    /// </summary>
    public string ToEscalationJson(Func<string, string> redact) => new JsonObject
    {
        ["failure"] = "tool",
        ["tool"] = Tool,
        ["callId"] = CallId,
        ["kind"] = Kind.ToString(),
        ["attempts"] = Attempts,
        ["lastError"] = redact(LastError),
    }.ToJsonString();
}
