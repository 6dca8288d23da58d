using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using System.Text.Json.Nodes;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Triggers;

namespace AgentConsole.Engine.Demo;

/// <summary>
/// The demo workspace: the practice guide's "Inbound lead router" and one user per role,
/// so a newcomer can sign in as each kind of user and see real data on first start.
/// </summary>
public sealed class DemoWorkspace(
    AgentCatalog agents,
    DecisionCatalog decisions,
    TriggerCatalog triggers,
    UserAdministration users,
    FirstRunNotice notice,
    Runs.AgentRuns runs,
    Prompts.PromptCatalog prompts,
    Evaluations.TestSets testSets,
    Microsoft.Extensions.Options.IOptions<DemoOptions> options)
{
    public const string LeadRouterKey = "lead-router";
    public const string LeadRoutingKey = "lead-routing";

    /// <summary>The lead router's public web form, <c>/forms/contact-us</c>.</summary>
    public const string ContactFormKey = "contact-us";

    /// <summary>The lead router's webhook, <c>POST /hooks/website-leads</c>.</summary>
    public const string WebsiteLeadsKey = "website-leads";

    /// <summary>The industries the demo's sales teams target; the webhook's filter lets only these through.</summary>
    public static readonly IReadOnlyList<string> TargetIndustries = ["Manufacturing", "Software", "Logistics", "Retail"];

    private static readonly string[] WebhookFields = ["name", "email", "company", "employees", "industry", "source", "message"];

    /// <summary>A web form whose fields are the lead router's input fields (no mapping needed).</summary>
    public static TriggerDraft ContactForm() => new("Contact us", TriggerKind.Form, Key: ContactFormKey, Settings: new JsonObject
    {
        ["title"] = "Contact us",
        ["description"] = "Tell us about your company and what you need; our sales team will get back to you within one business day.",
        ["fields"] = new JsonArray
        {
            FormField("name", "Your name", "text", required: true),
            FormField("email", "Work e-mail", "email", required: true),
            FormField("company", "Company", "text", required: true),
            FormField("employees", "Number of employees", "number", required: true),
            FormField("industry", "Industry", "select", required: false, [.. TargetIndustries, "Other"]),
            FormField("message", "How can we help?", "textarea", required: false),
        },
        ["thankYou"] = "Thank you! We have received your message and will be in touch within one business day.",
    });

    /// <summary>
    /// The practice guide's trigger filter on the website's lead webhook: a new lead AND the source is the website
    /// contact form AND the industry is in the target list.
    /// </summary>
    public static TriggerDraft WebsiteLeads() => new("Website leads", TriggerKind.Webhook, Key: WebsiteLeadsKey,
        Settings: new JsonObject { ["auth"] = "hmac" },
        Filter: new TriggerFilter(FilterMatch.All,
        [
            new TriggerCondition("event", "\"lead.created\""),
            new TriggerCondition("source", "\"website contact form\""),
            new TriggerCondition("industry", string.Join(",", TargetIndustries.Select(i => $"\"{i}\""))),
        ]),
        // Only the agent's fields reach the run; the website's own (event, leadId) stay in the event.
        Mapping: WebhookFields.ToDictionary(f => f, f => f),
        DedupField: "leadId");

    private static JsonObject FormField(string name, string label, string type, bool required, IReadOnlyList<string>? options = null)
    {
        var field = new JsonObject { ["name"] = name, ["label"] = label, ["type"] = type, ["required"] = required };
        if (options is not null)
        {
            field["options"] = new JsonArray([.. options.Select(o => (JsonNode?)o)]);
        }

        return field;
    }

    /// <summary>The practice guide's table exactly as it states it, gap at 10 employees included.</summary>
    public static DmnModel LeadRoutingModel()
    {
        var table = LeadRoutingTable.Create() with { Name = "Lead routing" };
        return new DmnModel { Id = "lead_routing", Name = "Lead routing", Namespace = "https://agentconsole.local/demo", Decisions = [table] };
    }

    public static readonly IReadOnlyList<(string Name, string Inputs, string Expected)> LeadRoutingTests =
    [
        ("Small company goes to the SMB sequence", "{\"employees\": 5, \"industry\": \"Retail\"}", "\"SMB sequence\""),
        ("Mid-size company goes to the mid-market sequence", "{\"employees\": 200, \"industry\": \"Software\"}", "\"Mid-market sequence\""),
        ("500 employees is still mid-market", "{\"employees\": 500, \"industry\": \"Logistics\"}", "\"Mid-market sequence\""),
        ("Large company goes to human review", "{\"employees\": 1200, \"industry\": \"Banking\"}", "\"Human review\""),
    ];

    /// <summary>
    /// Leads that each need a person: more than 500 employees (the table routes them to human review), a contact at
    /// Initech (the sandbox CRM's high-stakes key account, so the e-mail waits for approval), and an address whose
    /// domain cannot exist (the sandbox mail server hard-bounces it: a tool failure).
    /// </summary>
    public static readonly IReadOnlyList<JsonObject> SampleLeads =
    [
        Lead("Gavin Belson", "gavin@hooli.example", "Hooli", 9000, "Software", "Looking for a company-wide rollout across 40 offices."),
        Lead("Peter Gibbons", "peter@initech.example", "Initech", 350, "Software", "We would like a demo for the TPS reporting team."),
        Lead("Jo Miller", "jo@northwind.invalid", "Northwind Traders", 60, "Retail", "Please send pricing information for 60 seats."),
    ];

    /// <summary>
    /// Everyday leads the agent handles on its own, so the demo dashboard shows a workload (the three above escalate;
    /// with these, about one run in eight goes to a person, inside the healthy 5–15 % band).
    /// </summary>
    public static readonly IReadOnlyList<JsonObject> RoutineLeads =
    [
        .. new (string Name, string Company, int Employees, string Industry)[]
        {
            ("Dana Lee", "Acme GmbH", 42, "Software"),
            ("Sam Carter", "Bluth Logistics", 120, "Logistics"),
            ("Ana Silva", "Stark Fabrication", 480, "Manufacturing"),
            ("Lee Wong", "Corner Shop", 4, "Retail"),
            ("Max Berg", "Umbrella Freight", 75, "Logistics"),
            ("Ira Cohen", "Wayne Retail", 260, "Retail"),
            ("Eva Novak", "Vandelay Imports", 18, "Logistics"),
            ("Tom Reed", "Soylent Foods", 330, "Manufacturing"),
            ("Kim Park", "Pied Piper", 9, "Software"),
            ("Raj Mehta", "Dunder Paper", 55, "Manufacturing"),
            ("Nia Brown", "Cyberdyne Apps", 140, "Software"),
            ("Leo Rossi", "Gringotts Retail", 95, "Retail"),
            ("Mia Klein", "Tyrell Parts", 410, "Manufacturing"),
            ("Ola Nord", "Oceanic Cargo", 33, "Logistics"),
            ("Zoe Adams", "Globo Gym", 7, "Retail"),
            ("Ben Ford", "Massive Dynamic", 220, "Software"),
            ("Ada Hale", "Monarch Mills", 61, "Manufacturing"),
            ("Yan Li", "Prestige Shipping", 150, "Logistics"),
            ("Uma Shah", "Initrode Labs", 24, "Software"),
            ("Joe Park", "Wonka Retail", 300, "Retail"),
        }.Select(l => Lead(l.Name, $"{l.Name.Split(' ')[0].ToLowerInvariant()}@{Slug.From(l.Company)}.example", l.Company, l.Employees, l.Industry,
            "Saw your website and would like to know more."))
    ];

    private static JsonObject Lead(string name, string email, string company, int employees, string industry, string message) => new()
    {
        ["name"] = name,
        ["email"] = email,
        ["company"] = company,
        ["employees"] = employees,
        ["industry"] = industry,
        ["source"] = "website contact form",
        ["message"] = message,
    };

    public static readonly IReadOnlyList<(string Role, string Email, string DisplayName)> Users =
    [
        (Roles.Owner, "owner@agentconsole.local", "Olivia Owner"),
        (Roles.Reviewer, "reviewer@agentconsole.local", "Ray Reviewer"),
        (Roles.Manager, "manager@agentconsole.local", "Mia Manager"),
    ];

    public static AgentDefinition LeadRouter() => new()
    {
        Key = LeadRouterKey,
        Name = "Inbound lead router",
        Purpose =
            "Routes inbound leads from the website contact form by company size. " +
            "Companies with fewer than 10 employees go to the SMB sequence, 11 to 500 employees to the " +
            "mid-market sequence, and more than 500 employees to human review. " +
            "It reads the lead, looks the company up in the CRM, records the lead's route and owning sales team in " +
            "the CRM and sets the lead's status to Routed, e-mails the lead, books an introductory call with them and " +
            "tells the owning sales team in its channel. E-mails to accounts the CRM marks as high-stakes wait for a " +
            "person's approval. It never promises pricing or delivery dates and never edits records owned by another team.",
        Status = AgentStatus.Pilot,
        AutonomyLevel = AutonomyLevel.ExternalLowStakes,
        MaxSteps = AgentRules.DefaultMaxSteps,
        BudgetPerRunUsd = AgentRules.DefaultBudgetPerRunUsd,
        WallClockLimitSeconds = AgentRules.DefaultWallClockLimitSeconds,
        InputFields =
        [
            new() { Name = "name", Type = InputFieldType.Text, Required = true, Description = "Full name of the lead" },
            new() { Name = "email", Type = InputFieldType.Text, Required = true, Description = "Work email address" },
            new() { Name = "company", Type = InputFieldType.Text, Required = true, Description = "Company name" },
            new() { Name = "employees", Type = InputFieldType.Number, Required = true, Description = "Number of employees; decides the route" },
            new() { Name = "industry", Type = InputFieldType.Text, Required = false, Description = "Industry as entered on the form" },
            new() { Name = "source", Type = InputFieldType.Text, Required = false, Description = "Lead source, e.g. website contact form" },
            new() { Name = "message", Type = InputFieldType.Text, Required = false, Description = "What the lead wrote" },
            new() { Name = "notes", Type = InputFieldType.Text, Required = false, Description = "Internal notes" },
        ],
        Tools =
        [
            new() { Tool = Engine.Tools.Crm.CrmTools.FindCompany, Scope = Engine.Tools.ToolScope.Read },
            new() { Tool = Engine.Tools.Crm.CrmTools.UpdateLead, Scope = Engine.Tools.ToolScope.Write },
            new() { Tool = Engine.Tools.Crm.CrmTools.SetLeadStatus, Scope = Engine.Tools.ToolScope.Write },
            new() { Tool = Engine.Tools.Email.EmailConnector.SendTool, Scope = Engine.Tools.ToolScope.Write },
            new() { Tool = Engine.Tools.Calendar.CalendarConnector.CreateEventTool, Scope = Engine.Tools.ToolScope.Write },
            new() { Tool = Engine.Tools.Chat.ChatConnector.NotifyTool, Scope = Engine.Tools.ToolScope.Write },
        ],
        // "More than 500 employees → human review" is the engine's to enforce, not the model's.
        EngineRoutes = [new EngineRoute { Decision = LeadRoutingKey, Output = "route", Value = "Human review" }],
    };

    /// <summary>The lead router's default test set, once: an owner who deleted or renamed it keeps their choice.</summary>
    private async Task SeedTestSetAsync(CancellationToken ct)
    {
        if (await testSets.ListAsync(LeadRouterKey, ct) is not { Count: 0 })
        {
            return;
        }

        var created = await testSets.CreateAsync(LeadRouterKey, LeadRouterTestCases.SetName,
            "What a correct run of the published lead router does: routine leads, the table's boundaries, missing fields and hostile inputs.", "system", ct);
        if (created.Set is null)
        {
            // Another instance seeding at the same moment created it.
            return;
        }

        var result = await testSets.ImportAsync(created.Set.Id, [.. LeadRouterTestCases.All().Select((c, i) => (i + 1, c))], "system", ct);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Seeding the demo test set failed: {result.Message}");
        }
    }

    public async Task SeedAsync(CancellationToken ct)
    {
        var result = await agents.CreateAsync(LeadRouter(), "system", ct);
        if (result.Outcome is not (AgentSaveOutcome.Saved or AgentSaveOutcome.Conflict))
        {
            throw new InvalidOperationException($"Seeding the demo agent failed: {string.Join("; ", result.Errors.SelectMany(e => e.Value))}");
        }

        if (await decisions.LoadAsync(LeadRoutingKey, null, ct) is null)
        {
            await decisions.CreateAsync(LeadRoutingModel(), "system", LeadRouterKey, ct);
            foreach (var (name, inputs, expected) in LeadRoutingTests)
            {
                await decisions.AddTestCaseAsync(LeadRoutingKey, name, inputs, expected, "system", ct);
            }

            // Published as the guide wrote it, so the editor opens on a live table that has a gap to fix.
            await decisions.PublishDraftAsync(LeadRoutingKey, "system", ct);
        }

        // Only while the agent has no prompt version: an owner's later versions are never overwritten.
        await prompts.SeedPublishedAsync(LeadRouterKey, LeadRouterPrompt.Sections(), LeadRouterPrompt.Note, ct);
        await SeedTestSetAsync(ct);

        foreach (var draft in new[] { ContactForm(), WebsiteLeads() })
        {
            // Fixed keys: seeding again finds them (Conflict) instead of adding a second copy.
            var trigger = await triggers.CreateAsync(LeadRouterKey, draft, "system", ct);
            if (trigger.Outcome is not (TriggerCommandOutcome.Done or TriggerCommandOutcome.Conflict))
            {
                throw new InvalidOperationException($"Seeding the demo trigger '{draft.Key}' failed: {trigger.Message} {string.Join("; ", (trigger.Errors ?? new Dictionary<string, string[]>()).SelectMany(e => e.Value))}");
            }
        }

        var password = options.Value.UserPassword;
        foreach (var (role, email, displayName) in Users)
        {
            var created = await users.CreateAsync(email, displayName, [role], password, "system", ct);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Seeding demo user {email} failed: {string.Join("; ", created.Errors)}");
            }

            if (created.GeneratedPassword is { } generated)
            {
                notice.Add(role, email, generated);
            }
        }

        if (options.Value.SampleRuns)
        {
            foreach (var lead in SampleLeads.Concat(RoutineLeads))
            {
                // Queued like any run: the job server executes them moments after start-up.
                await runs.StartAsync(LeadRouterKey, (JsonObject)lead.DeepClone(), "demo", ct: ct);
            }
        }
    }
}
