using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Tools.Demo;

/// <summary>
/// The demo's first three tools, kept until the sandbox CRM, chat and sequence connectors replace them: deterministic
/// answers, no outside system.
/// </summary>
public sealed class SimulatedCrmConnector : IConnector
{
    public const string ConnectorKey = "simulated";

    public string Key => ConnectorKey;

    public string Name => "Simulated CRM (demo)";

    public IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new("crm_lookup", "Look up the company in the CRM (demo)", "Find the company's CRM account and the sales team that owns it.",
            """{"type":"object","properties":{"company":{"type":"string","description":"Company name"},"email":{"type":["string","null"],"description":"Lead's work e-mail"}},"required":["company"]}""",
            ToolAccess.Read, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0, ConnectorKey, ConnectorKey),
        new("enroll_in_sequence", "Enroll the lead in a sales sequence (demo)", "Enroll the lead's e-mail address in an outreach sequence; the sequence sends e-mails to the lead.",
            """{"type":"object","properties":{"email":{"type":"string","description":"Lead's e-mail"},"route":{"type":"string","description":"The sequence to enroll the lead in","enum":["SMB sequence","Mid-market sequence"]}},"required":["email","route"]}""",
            ToolAccess.Write, ToolReach.External, Reversible: true, CostToUndoUsd: 5, ConnectorKey, ConnectorKey) { Idempotent = true },
        new("notify_team", "Notify the sales team (demo)", "Post an internal notification to the owning sales team's channel.",
            """{"type":"object","properties":{"team":{"type":"string","description":"Team to notify"},"message":{"type":"string","description":"Notification text"}},"required":["team","message"]}""",
            ToolAccess.Write, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0, ConnectorKey, ConnectorKey) { NotificationOnly = true, Idempotent = true },
    ];

    public Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct)
    {
        var call = toolCall;
        JsonNode? result = call.Tool.Key switch
        {
            "crm_lookup" => Lookup(call.RequiredText("company")),
            "enroll_in_sequence" => new JsonObject
            {
                ["enrollmentId"] = $"ENR-{call.RunId.ToString("N")[..8]}",
                ["email"] = call.RequiredText("email"),
                ["sequence"] = call.RequiredText("route"),
            },
            "notify_team" => new JsonObject { ["notified"] = call.RequiredText("team"), ["characters"] = (call.Text("message") ?? "").Length },
            _ => throw new ToolCallException(ToolFailureKind.Permanent, $"The simulated CRM has no tool '{call.Tool.Key}'."),
        };
        return Task.FromResult<JsonNode?>(result);
    }

    private static JsonObject Lookup(string company)
    {
        var hash = BinaryPrimitives.ReadUInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(company.Trim().ToUpperInvariant())));
        string[] teams = ["Sales EMEA", "Sales Americas", "Sales APAC"];
        return new JsonObject
        {
            ["accountId"] = $"ACC-{hash % 100000:00000}",
            ["company"] = company,
            ["team"] = teams[hash % 3],
            ["existingCustomer"] = hash % 5 == 0,
        };
    }
}
