using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Engine.DecisionTables;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Tools.BuiltIn;

/// <summary>The tools every agent has: escalate to a person, and evaluate one of its published decision tables.</summary>
public sealed class BuiltInConnector : IConnector
{
    public const string ConnectorKey = "builtin";

    public string Key => ConnectorKey;

    public string Name => "Built in";

    public IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new(BuiltInTools.Escalate, "Escalate to a person",
            "Hand the case to a human reviewer when it must not be decided alone. The run pauses until the reviewer decides.",
            """{"type":"object","properties":{"reason":{"type":"string","description":"Why a person must decide","maxLength":2000},"summary":{"type":"string","description":"What you did and saw so far","maxLength":8000}},"required":["reason"]}""",
            ToolAccess.Write, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0, ConnectorKey, ConnectorKey) { BuiltIn = true, NotificationOnly = true },
        new(BuiltInTools.EvaluateDecision, "Evaluate a decision table",
            "Evaluate one of the business's published decision tables with the given inputs and return its result.",
            """{"type":"object","properties":{"decision":{"type":"string","description":"Decision key, e.g. lead-routing"},"inputs":{"type":"object","description":"Input values by name"}},"required":["decision","inputs"]}""",
            ToolAccess.Read, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0, ConnectorKey, ConnectorKey) { BuiltIn = true },
    ];

    public Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct) => toolCall.Tool.Key switch
    {
        BuiltInTools.Escalate => Task.FromResult<JsonNode?>(new JsonObject { ["escalated"] = true, ["reason"] = toolCall.Arguments["reason"]?.DeepClone() }),
        BuiltInTools.EvaluateDecision => EvaluateDecisionAsync(toolCall, ct),
        _ => throw new ToolCallException(ToolFailureKind.Permanent, $"The built-in connector has no tool '{toolCall.Tool.Key}'."),
    };

    public Task<ConnectionHealth> CheckAsync(ConnectionSnapshot connection, CancellationToken ct) =>
        Task.FromResult(ConnectionHealth.Healthy("Part of the engine."));

    private static async Task<JsonNode?> EvaluateDecisionAsync(ToolCall call, CancellationToken ct)
    {
        var key = call.RequiredText("decision");
        var catalog = call.Services.GetRequiredService<DecisionCatalog>();
        var bound = await catalog.ListAsync(call.AgentKey, ct);
        if (!bound.Any(d => string.Equals(d.Key, key, StringComparison.Ordinal)))
        {
            throw new ToolCallException(ToolFailureKind.InvalidArguments, $"The agent has no decision '{key}'. Its decisions: {string.Join(", ", bound.Select(d => d.Key))}.");
        }

        var inputs = call.Arguments["inputs"] is JsonObject o ? DecisionValues.ReadInputs(o.ToJsonString()) : [];
        // A run pinned to a draft (evaluation, replay, "Try it") evaluates the versions it is pinned to, as its own decisions did.
        var version = await PinnedVersionAsync(call, key, ct) ?? DecisionCatalog.Published;
        var evaluation = await call.Services.GetRequiredService<DecisionWorkbench>().EvaluateAsync(key, inputs, version, ct: ct)
            ?? throw new ToolCallException(ToolFailureKind.InvalidArguments, $"Decision '{key}' has no published version.");
        if (!evaluation.Result.IsSuccess)
        {
            throw new ToolCallException(ToolFailureKind.InvalidArguments, evaluation.Result.Error!.Message);
        }

        return new JsonObject
        {
            ["result"] = evaluation.ResultJson,
            ["matchedRules"] = new JsonArray([.. evaluation.Result.MatchedRuleIds.Select(id => (JsonNode?)JsonValue.Create(id))]),
            ["version"] = evaluation.Decision.Version.Number.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static async Task<string?> PinnedVersionAsync(ToolCall call, string key, CancellationToken ct)
    {
        if (call.RunId == Guid.Empty)
        {
            return null;
        }

        await using var db = await call.Services.GetRequiredService<IDbContextFactory<Persistence.AgentConsoleDbContext>>().CreateDbContextAsync(ct);
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == call.RunId).Select(r => new { r.Kind, r.DecisionVersionsJson }).SingleOrDefaultAsync(ct);
        return run is { Kind: not Runs.RunKind.Production } && DecisionVersionMap.Read(run.DecisionVersionsJson).TryGetValue(key, out var number)
            ? number.ToString(CultureInfo.InvariantCulture)
            : null;
    }
}
