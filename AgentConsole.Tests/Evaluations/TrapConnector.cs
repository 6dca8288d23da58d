using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;

namespace AgentConsole.Tests.Evaluations;

/// <summary>
/// A connector that answers normally until it is armed; once armed, any call is recorded as a violation and fails, so a
/// test can prove that replay reached no connector. It also records the connection mode each call saw.
/// </summary>
public sealed class TrapConnector : IConnector
{
    public const string Tool = "trap_lookup";

    private int _calls;

    public string Key => "trap";

    public string Name => "Trap (test)";

    public bool Armed { get; set; }

    public ConcurrentQueue<string> Violations { get; } = new();

    public ConcurrentQueue<ConnectionMode> ModesSeen { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new(Tool, "Look a company up", "Looks a company up in a system the test watches.",
            """{"type":"object","properties":{"company":{"type":"string"}},"required":["company"]}""",
            ToolAccess.Read, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0, "trap", "trap"),
    ];

    public Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct)
    {
        Interlocked.Increment(ref _calls);
        ModesSeen.Enqueue(toolCall.Connection.Mode);
        if (Armed)
        {
            Violations.Enqueue($"{toolCall.Tool.Key} was called with {toolCall.Arguments.ToJsonString()} while the trap was armed");
            throw new InvalidOperationException("The trap connector was called while armed.");
        }

        return Task.FromResult<JsonNode?>(new JsonObject { ["company"] = toolCall.Text("company"), ["segment"] = "Mid-market", ["lookup"] = Calls });
    }
}
