using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;

namespace AgentConsole.Tests.Tools;

/// <summary>A connector declaring one tool of each kind the approval policy distinguishes; it is never invoked.</summary>
internal sealed class PolicyTestConnector : IConnector
{
    public const string ConnectorKey = "policytest";
    private const string Schema = """{"type":"object"}""";

    public static readonly ToolDefinition ReadInternal = Tool("read_internal", ToolAccess.Read, ToolReach.Internal, true, 0);
    public static readonly ToolDefinition ReadExternal = Tool("read_external", ToolAccess.Read, ToolReach.External, true, 0);
    public static readonly ToolDefinition Notify = Tool("notify", ToolAccess.Write, ToolReach.Internal, true, 0) with { NotificationOnly = true };
    public static readonly ToolDefinition UpdateRecord = Tool("update_record", ToolAccess.Write, ToolReach.Internal, true, 5);
    public static readonly ToolDefinition SendExternal = Tool("send_external", ToolAccess.Write, ToolReach.External, true, 5);
    public static readonly ToolDefinition DeleteRecord = Tool("delete_record", ToolAccess.Write, ToolReach.Internal, false, 0);
    public static readonly ToolDefinition CostlyInternal = Tool("costly_internal", ToolAccess.Write, ToolReach.Internal, true, 150);
    public static readonly ToolDefinition AtThreshold = Tool("at_threshold", ToolAccess.Write, ToolReach.Internal, true, 100);
    public static readonly ToolDefinition HttpCall = Tool("http_call", ToolAccess.Write, ToolReach.External, false, 50) with { SupportsReadScope = true };

    public static IReadOnlyList<ToolDefinition> All => [ReadInternal, ReadExternal, Notify, UpdateRecord, SendExternal, DeleteRecord, CostlyInternal, AtThreshold, HttpCall];

    public string Key => ConnectorKey;

    public string Name => "Policy test";

    public IReadOnlyList<ToolDefinition> Tools => All;

    public Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct) =>
        throw new InvalidOperationException("Policy tests never invoke a tool.");

    private static ToolDefinition Tool(string key, ToolAccess access, ToolReach reach, bool reversible, decimal cost) =>
        new(key, key, key, Schema, access, reach, reversible, cost, ConnectorKey, "policytest");
}
