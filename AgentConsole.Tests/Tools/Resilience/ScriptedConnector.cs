using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;

namespace AgentConsole.Tests.Tools.Resilience;

/// <summary>A test-only connector whose one tool does what the test scripts, recording every attempt it receives.</summary>
public sealed class ScriptedConnector : IConnector
{
    public const string ToolKey = "scripted_call";
    public const string ConnectionKey = "scripted";

    public ConcurrentQueue<(int Attempt, string IdempotencyKey, DateTimeOffset At)> Calls { get; } = new();

    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>The attempt's behaviour; by default it succeeds.</summary>
    public Func<ToolCall, CancellationToken, Task<JsonNode?>> Script { get; set; } =
        (call, _) => Task.FromResult<JsonNode?>(new JsonObject { ["done"] = call.Text("note") });

    public string Key => "scripted";

    public string Name => "Scripted (tests)";

    public IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new(ToolKey, "Scripted call (tests)", "Records a note; behaves as the test scripts.",
            """{"type":"object","properties":{"note":{"type":"string"}},"required":["note"]}""",
            ToolAccess.Write, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0, "scripted", ConnectionKey) { Idempotent = true },
    ];

    public ToolDefinition Tool => Tools[0];

    public Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct)
    {
        Calls.Enqueue((toolCall.Attempt, toolCall.IdempotencyKey, Time.GetUtcNow()));
        return Script(toolCall, ct);
    }

    public static ToolCallException Unavailable(TimeSpan? retryAfter = null) =>
        new(ToolFailureKind.Transient, retryAfter is null ? "The service answered 503." : "The service answered 429 Too Many Requests.")
        {
            Status = retryAfter is null ? 503 : 429,
            RetryAfter = retryAfter,
        };
}
