using System.Globalization;
using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Tools.Crm;

/// <summary>
/// The CRM: find a company, read and update a lead, create a follow-up task, set a lead's status. Sandbox mode works
/// on the small CRM in the app's database (Crm page); live mode calls a REST CRM (<see cref="CrmRestClient"/>).
/// Every write is idempotent per call: a unique key in the sandbox, an <c>Idempotency-Key</c> header live.
/// </summary>
public sealed class CrmConnector(CrmSandbox sandbox, CrmRestClient live) : IConnector
{
    public const string ConnectorKey = "crm";
    public const string ConnectionKey = "crm";

    // The properties that name a lead, shared by the tools that act on an existing lead.
    private const string LeadRef =
        """
        "email":{"type":"string","format":"email","maxLength":320,"description":"The lead's e-mail address"},"leadId":{"type":"string","maxLength":20,"description":"The lead's CRM id, e.g. LEAD-00042"}
        """;

    private static readonly string Statuses = string.Join(",", Enum.GetNames<CrmLeadStatus>().Select(s => $"\"{s}\""));

    private static string Schema(string json) => json.Replace("LEAD_REF", LeadRef, StringComparison.Ordinal).Replace("STATUSES", Statuses, StringComparison.Ordinal);

    public string Key => ConnectorKey;

    public string Name => "CRM";

    public IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new(CrmTools.FindCompany, "Find a company in the CRM",
            "Find the company's CRM account by its name or a work e-mail address of its people: account id, owning sales team, whether it is an existing customer and whether it is marked high-stakes.",
            """{"type":"object","properties":{"company":{"type":"string","maxLength":200,"description":"Company name"},"email":{"type":"string","maxLength":320,"description":"A work e-mail address at the company; its domain identifies the account"}},"anyOf":[{"required":["company"]},{"required":["email"]}]}""",
            ToolAccess.Read, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0, ConnectorKey, ConnectionKey),
        new(CrmTools.GetLead, "Read a lead from the CRM",
            "Read a lead by e-mail address or lead id: name, company, status, route, owner, notes and open tasks.",
            Schema("""{"type":"object","properties":{LEAD_REF},"anyOf":[{"required":["email"]},{"required":["leadId"]}]}"""),
            ToolAccess.Read, ToolReach.Internal, Reversible: true, CostToUndoUsd: 0, ConnectorKey, ConnectionKey),
        new(CrmTools.UpdateLead, "Update a lead in the CRM",
            "Set fields of the lead with this e-mail address (route, owner, notes, name, company); creates the lead when the CRM does not have it yet. Fields left out stay as they are.",
            """{"type":"object","properties":{"email":{"type":"string","format":"email","maxLength":320,"description":"The lead's e-mail address"},"name":{"type":"string","maxLength":200,"description":"The lead's full name"},"company":{"type":"string","maxLength":200,"description":"The lead's company"},"route":{"type":"string","maxLength":100,"description":"Where the lead is routed, e.g. the sales sequence","examples":["SMB sequence","Mid-market sequence","Enterprise sequence"]},"owner":{"type":"string","maxLength":100,"description":"Sales team or person who owns the lead"},"notes":{"type":"string","maxLength":4000,"description":"Internal notes on the lead (replace the earlier notes)"}},"required":["email"]}""",
            ToolAccess.Write, ToolReach.Internal, Reversible: true, CostToUndoUsd: 2, ConnectorKey, ConnectionKey) { Idempotent = true },
        new(CrmTools.CreateTask, "Create a follow-up task in the CRM",
            "Create a follow-up task on a lead for the sales team: a title, an optional due date (YYYY-MM-DD) and assignee.",
            Schema("""{"type":"object","properties":{LEAD_REF,"title":{"type":"string","minLength":1,"maxLength":300,"description":"What to do"},"dueDate":{"type":"string","format":"date","description":"Due date, YYYY-MM-DD"},"assignee":{"type":"string","maxLength":100,"description":"Who does it; the lead's owner when left out"}},"required":["title"],"anyOf":[{"required":["email"]},{"required":["leadId"]}]}"""),
            ToolAccess.Write, ToolReach.Internal, Reversible: true, CostToUndoUsd: 1, ConnectorKey, ConnectionKey) { Idempotent = true },
        new(CrmTools.SetLeadStatus, "Set a lead's status in the CRM",
            "Move a lead to another pipeline status; the CRM keeps the status history with the reason.",
            Schema("""{"type":"object","properties":{LEAD_REF,"status":{"type":"string","enum":[STATUSES],"default":"Routed","description":"The new status"},"reason":{"type":"string","maxLength":1000,"description":"Why the status changes"}},"required":["status"],"anyOf":[{"required":["email"]},{"required":["leadId"]}]}"""),
            ToolAccess.Write, ToolReach.Internal, Reversible: true, CostToUndoUsd: 2, ConnectorKey, ConnectionKey) { Idempotent = true },
    ];

    public async Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct)
    {
        if (toolCall.Connection.Mode == ConnectionMode.Live)
        {
            return await live.InvokeAsync(toolCall, ct);
        }

        var write = CrmWrite.From(toolCall);
        return toolCall.Tool.Key switch
        {
            CrmTools.FindCompany => await sandbox.DescribeCompanyAsync(toolCall.Text("company"), toolCall.Text("email"), ct),
            CrmTools.GetLead => await sandbox.DescribeLeadAsync(toolCall.Text("email"), toolCall.Text("leadId"), ct),
            CrmTools.UpdateLead => await sandbox.UpdateLeadAsync(write, RequiredEmail(toolCall), new CrmLeadChanges(
                toolCall.Text("name"), toolCall.Text("company"), toolCall.Text("route"), toolCall.Text("owner"), toolCall.Text("notes")), ct),
            CrmTools.CreateTask => await sandbox.CreateTaskAsync(write, Email(toolCall), toolCall.Text("leadId"), toolCall.RequiredText("title"),
                DueDate(toolCall), toolCall.Text("assignee"), ct),
            CrmTools.SetLeadStatus => await sandbox.SetStatusAsync(write, Email(toolCall), toolCall.Text("leadId"), Status(toolCall), toolCall.Text("reason"), ct),
            _ => throw new ToolCallException(ToolFailureKind.Permanent, $"The CRM connector has no tool '{toolCall.Tool.Key}'."),
        };
    }

    public Task<ConnectionHealth> CheckAsync(ConnectionSnapshot connection, CancellationToken ct) =>
        Task.FromResult(connection.Mode == ConnectionMode.Sandbox
            ? ConnectionHealth.Healthy("Sandbox: the CRM in this app's database (CRM page).")
            : CrmRestClient.ConfigurationProblem(connection) is { } problem
                ? ConnectionHealth.Unhealthy(problem)
                : ConnectionHealth.Healthy($"Live: {connection.Setting(CrmRestClient.BaseUrlSetting)}"));

    internal static string? Email(ToolCall toolCall)
    {
        var email = toolCall.Text("email");
        if (email is not null && CrmSandbox.DomainOf(email) is null)
        {
            throw new ToolCallException(ToolFailureKind.InvalidArguments, $"'{email}' is not an e-mail address (name@domain).");
        }

        return email;
    }

    private static string RequiredEmail(ToolCall toolCall) =>
        Email(toolCall) ?? throw new ToolCallException(ToolFailureKind.InvalidArguments, "'email' is required.");

    internal static DateOnly? DueDate(ToolCall toolCall) => toolCall.Text("dueDate") switch
    {
        null => null,
        var text when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) => date,
        var text => throw new ToolCallException(ToolFailureKind.InvalidArguments, $"'dueDate' must be a date as YYYY-MM-DD, not '{CrmSandbox.Cut(text, 40)}'."),
    };

    internal static CrmLeadStatus Status(ToolCall toolCall)
    {
        var text = toolCall.RequiredText("status");
        return Enum.TryParse<CrmLeadStatus>(text, ignoreCase: true, out var status) && Enum.IsDefined(status)
            ? status
            : throw new ToolCallException(ToolFailureKind.InvalidArguments, $"'status' must be one of {string.Join(", ", Enum.GetNames<CrmLeadStatus>())}.");
    }
}
