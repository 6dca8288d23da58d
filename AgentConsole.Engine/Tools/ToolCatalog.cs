using System.Globalization;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgentConsole.Engine.DecisionTables;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Tools;

/// <summary>
/// The tools this build knows. Besides the built-ins every agent has, the demo CRM tools are a simulated connector
/// (deterministic answers, no outside system) so the demo agent runs end to end; real connectors come with the
/// tools feature.
/// </summary>
public static class ToolCatalog
{
    private static readonly Dictionary<string, ToolDescriptor> All = new[]
    {
        new ToolDescriptor(
            BuiltInTools.Escalate, "Escalate to a person",
            "Hand the case to a human reviewer when it must not be decided alone. The run pauses until the reviewer decides.",
            ToolAccess.Write, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0,
            """{"type":"object","properties":{"reason":{"type":"string","description":"Why a person must decide"},"summary":{"type":"string","description":"What you did and saw so far"}},"required":["reason"]}""",
            (args, _, _) => ValueTask.FromResult<JsonNode?>(new JsonObject { ["escalated"] = true, ["reason"] = args["reason"]?.DeepClone() })),
        new ToolDescriptor(
            BuiltInTools.EvaluateDecision, "Evaluate a decision table",
            "Evaluate one of the business's published decision tables with the given inputs and return its result.",
            ToolAccess.Read, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0,
            """{"type":"object","properties":{"decision":{"type":"string","description":"Decision key, e.g. lead-routing"},"inputs":{"type":"object","description":"Input values by name"}},"required":["decision","inputs"]}""",
            EvaluateDecisionAsync),
        new ToolDescriptor(
            "crm_lookup", "Look up the company in the CRM (demo)",
            "Find the company's CRM account and the sales team that owns it.",
            ToolAccess.Read, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0,
            """{"type":"object","properties":{"company":{"type":"string","description":"Company name"},"email":{"type":"string","description":"Lead's work e-mail"}},"required":["company"]}""",
            (args, _, _) =>
            {
                var company = Text(args, "company") ?? throw new ArgumentException("company is required.");
                var hash = BinaryPrimitives.ReadUInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(company.Trim().ToUpperInvariant())));
                string[] teams = ["Sales EMEA", "Sales Americas", "Sales APAC"];
                return ValueTask.FromResult<JsonNode?>(new JsonObject
                {
                    ["accountId"] = $"ACC-{hash % 100000:00000}",
                    ["company"] = company,
                    ["team"] = teams[hash % 3],
                    ["existingCustomer"] = hash % 5 == 0,
                });
            }),
        new ToolDescriptor(
            "enroll_in_sequence", "Enroll the lead in a sales sequence (demo)",
            "Enroll the lead's e-mail address in an outreach sequence; the sequence sends e-mails to the lead.",
            ToolAccess.Write, ToolReach.External, Reversible: true, CostToUndoUsd: 5,
            """{"type":"object","properties":{"email":{"type":"string","description":"Lead's e-mail"},"route":{"type":"string","description":"The sequence to enroll the lead in","enum":["SMB sequence","Mid-market sequence"]}},"required":["email","route"]}""",
            (args, call, _) =>
            {
                var email = Text(args, "email") ?? throw new ArgumentException("email is required.");
                var route = Text(args, "route") ?? throw new ArgumentException("route is required.");
                if (route is not ("SMB sequence" or "Mid-market sequence"))
                {
                    throw new ArgumentException($"There is no sequence called '{route}'; use 'SMB sequence' or 'Mid-market sequence'.");
                }

                return ValueTask.FromResult<JsonNode?>(new JsonObject
                {
                    ["enrollmentId"] = $"ENR-{call.RunId.ToString("N")[..8]}",
                    ["email"] = email,
                    ["sequence"] = route,
                });
            }),
        new ToolDescriptor(
            "notify_team", "Notify the sales team (demo)",
            "Post an internal notification to the owning sales team's channel.",
            ToolAccess.Write, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0,
            """{"type":"object","properties":{"team":{"type":"string","description":"Team to notify"},"message":{"type":"string","description":"Notification text"}},"required":["team","message"]}""",
            (args, _, _) => ValueTask.FromResult<JsonNode?>(new JsonObject
            {
                ["notified"] = Text(args, "team") ?? throw new ArgumentException("team is required."),
                ["characters"] = (Text(args, "message") ?? "").Length,
            })),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => All.Keys;

    public static IEnumerable<ToolDescriptor> List() => All.Values;

    public static bool IsKnown(string name) => All.ContainsKey(name);

    public static ToolDescriptor? Find(string name) => All.GetValueOrDefault(name);

    private static string? Text(JsonObject args, string name) => args[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString(),
    };

    private static async ValueTask<JsonNode?> EvaluateDecisionAsync(JsonObject args, ToolInvocation call, CancellationToken ct)
    {
        var key = Text(args, "decision") ?? throw new ArgumentException("decision is required.");
        var catalog = call.Services.GetRequiredService<DecisionCatalog>();
        var bound = await catalog.ListAsync(call.AgentKey, ct);
        if (!bound.Any(d => string.Equals(d.Key, key, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"The agent has no decision '{key}'. Its decisions: {string.Join(", ", bound.Select(d => d.Key))}.");
        }

        var inputs = args["inputs"] is JsonObject o ? DecisionValues.ReadInputs(o.ToJsonString()) : [];
        var evaluation = await call.Services.GetRequiredService<DecisionWorkbench>().EvaluateAsync(key, inputs, DecisionCatalog.Published, ct: ct)
            ?? throw new ArgumentException($"Decision '{key}' has no published version.");
        if (!evaluation.Result.IsSuccess)
        {
            throw new ArgumentException(evaluation.Result.Error!.Message);
        }

        return new JsonObject
        {
            ["result"] = evaluation.ResultJson,
            ["matchedRules"] = new JsonArray([.. evaluation.Result.MatchedRuleIds.Select(id => (JsonNode?)JsonValue.Create(id))]),
            ["version"] = evaluation.Decision.Version.Number.ToString(CultureInfo.InvariantCulture),
        };
    }
}
