using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools.Crm;

namespace AgentConsole.Engine.Triggers.Crm;

/// <summary>
/// CRM status-change triggers: a lead's status moving <c>from</c> one of some statuses <c>to</c> one of others (empty
/// lists match any). Sandbox changes (the /crm page, any agent's <c>crm_set_lead_status</c>) are read from the status
/// history by <see cref="CrmStatusPoller"/>; a live CRM posts <c>{leadId, from, to, lead}</c> to <c>/hooks/{key}</c>,
/// signed with the trigger's secret like a webhook.
/// </summary>
public sealed class CrmStatusTriggerHandler : ITriggerKindHandler
{
    public TriggerKind Kind => TriggerKind.CrmStatus;

    public bool HasSigningSecret => true;

    public IReadOnlyList<TriggerSettingField> SettingFields { get; } =
    [
        new("from", "From status", TriggerSettingType.TextList,
            Help: $"The statuses the lead leaves; empty = any. One of {string.Join(", ", Enum.GetNames<CrmLeadStatus>())}.",
            Options: Enum.GetNames<CrmLeadStatus>()),
        new("to", "To status", TriggerSettingType.TextList,
            Help: "The statuses the lead enters; empty = any.", Options: Enum.GetNames<CrmLeadStatus>()),
    ];

    public void Validate(JsonObject settings, IReadOnlyDictionary<string, string> secrets, IDictionary<string, string[]> errors)
    {
        foreach (var name in (string[])["from", "to"])
        {
            settings[name] = Statuses(settings[name], name, errors) is { } statuses
                ? new JsonArray([.. statuses.Select(s => (JsonNode?)JsonValue.Create(s.ToString()))])
                : settings[name]?.DeepClone();
        }
    }

    public JsonObject SamplePayload(Trigger trigger) => new()
    {
        ["leadId"] = CrmIds.Lead(42),
        ["from"] = nameof(CrmLeadStatus.New),
        ["to"] = nameof(CrmLeadStatus.Qualified),
        ["changedBy"] = "sales@agentconsole.local",
        ["reason"] = "Budget confirmed on the call.",
        ["lead"] = new JsonObject
        {
            ["leadId"] = CrmIds.Lead(42),
            ["name"] = "Dana Whitfield",
            ["email"] = "dana@acme.example",
            ["company"] = "Acme GmbH",
            ["status"] = nameof(CrmLeadStatus.Qualified),
        },
    };

    /// <summary>Whether a change from <paramref name="from"/> to <paramref name="to"/> matches a trigger's settings.</summary>
    public static bool Matches(JsonObject settings, CrmLeadStatus? from, CrmLeadStatus to)
    {
        var froms = Statuses(settings["from"], "from", null) ?? [];
        var tos = Statuses(settings["to"], "to", null) ?? [];
        return (froms.Count == 0 || (from is { } f && froms.Contains(f))) && (tos.Count == 0 || tos.Contains(to));
    }

    private static List<CrmLeadStatus>? Statuses(JsonNode? node, string name, IDictionary<string, string[]>? errors)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            errors?.TryAdd($"settings.{name}", ["Give a list of statuses (empty = any)."]);
            return null;
        }

        var statuses = new List<CrmLeadStatus>();
        foreach (var item in array)
        {
            if (item is JsonValue value && value.TryGetValue<string>(out var text)
                && Enum.TryParse<CrmLeadStatus>(text.Trim(), ignoreCase: true, out var status) && Enum.IsDefined(status) && !int.TryParse(text, out _))
            {
                statuses.Add(status);
            }
            else
            {
                errors?.TryAdd($"settings.{name}", [$"'{item?.ToJsonString()}' is no lead status; the statuses are {string.Join(", ", Enum.GetNames<CrmLeadStatus>())}."]);
                return null;
            }
        }

        return [.. statuses.Distinct()];
    }
}
