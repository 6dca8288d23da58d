using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;

namespace AgentConsole.Tests.Tools;

/// <summary>
/// A test connector with one write tool whose stakes depend on its arguments: a posting above $1,000 costs $500 to
/// undo (the declared estimate is $10). It records every call it performs, keyed by idempotency key.
/// </summary>
public sealed class LedgerConnector : IConnector
{
    public const string PostTool = "ledger_post";

    public ConcurrentDictionary<string, JsonObject> Performed { get; } = new(StringComparer.Ordinal);

    private int _invocations;

    public int Invocations => Volatile.Read(ref _invocations);

    public string Key => "ledger";

    public string Name => "Test ledger";

    public IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new(PostTool, "Post to the ledger", "Post an amount to the ledger.",
            """{"type":"object","properties":{"amount":{"type":"number","minimum":0},"memo":{"type":"string","maxLength":200}},"required":["amount"],"additionalProperties":false}""",
            ToolAccess.Write, ToolReach.Internal, Reversible: true, CostToUndoUsd: 10, "ledger", "ledger") { Idempotent = true },
    ];

    public Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct)
    {
        Interlocked.Increment(ref _invocations);
        var entry = Performed.GetOrAdd(toolCall.IdempotencyKey, _ => (JsonObject)toolCall.Arguments.DeepClone());
        return Task.FromResult<JsonNode?>(new JsonObject { ["posted"] = entry["amount"]?.DeepClone(), ["key"] = toolCall.IdempotencyKey });
    }

    public ValueTask<CallStakes?> AssessAsync(ToolCall toolCall, CancellationToken ct) =>
        ValueTask.FromResult(toolCall.Arguments["amount"] is JsonValue v && v.TryGetValue<decimal>(out var amount) && amount > 1000
            ? new CallStakes(500, "postings above $1,000 take an accountant to reverse")
            : null);
}
