using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Tools;

/// <summary>One call of a tool by a run, as its connector receives it.</summary>
/// <param name="Tool">The tool's declaration.</param>
/// <param name="Arguments">Arguments after schema validation (real values: redaction placeholders already restored).</param>
/// <param name="Scope">The scope the agent's grant allows.</param>
/// <param name="RunId">The run; <see cref="Guid.Empty"/> outside a run (a test call from the Tools page).</param>
/// <param name="AgentKey">The calling agent.</param>
/// <param name="CallId">The model's call id, stable across re-executions of the run.</param>
/// <param name="Connection">The connection's settings and secrets, read when the call starts.</param>
/// <param name="Services">The engine's services.</param>
public sealed record ToolCall(
    ToolDefinition Tool,
    JsonObject Arguments,
    ToolScope Scope,
    Guid RunId,
    string AgentKey,
    string CallId,
    ConnectionSnapshot Connection,
    IServiceProvider Services)
{
    /// <summary>
    /// Derived from run and call id, so the same call after a crash carries the same key: sandbox tables keep it unique,
    /// live connectors send it as <c>Idempotency-Key</c>.
    /// </summary>
    public string IdempotencyKey { get; } = Derive(RunId, CallId);

    /// <summary>1 for the first attempt, 2 for the first retry, …</summary>
    public int Attempt { get; init; } = 1;

    public static string Derive(Guid runId, string callId) =>
        $"{runId:N}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(callId)))[..16]}";

    public string? Text(string name) =>
        Arguments[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    public string RequiredText(string name) =>
        Text(name) ?? throw new ToolCallException(ToolFailureKind.InvalidArguments, $"'{name}' is required.");
}
