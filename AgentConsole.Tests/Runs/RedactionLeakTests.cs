using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Runs;

/// <summary>
/// The capture test widened to everything a person or a client can read: for runs whose input holds an SSN, a card,
/// an e-mail address and a value of the agent's own pattern, no raw value appears in any API response, page, audit
/// event or export — on the success path, the decision-error path (a value outside the allowed values), a failure
/// with exception text, and escalations resolved with a reviewer comment that holds a card number.
/// </summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class RedactionLeakTests(ConsoleHostFixture host) : IDisposable
{
    private const string Ssn = "219-09-9999";
    private const string Card = "4111 1111 1111 1111";
    private const string Email = "jane.roe@customer.example";
    private const string Member = "MBR-583920";
    private const string ReviewerCard = "5555 5555 5555 4444";
    private static readonly string[] Raw = [Ssn, Card, Email, Member, ReviewerCard, "4111111111111111", "5555555555554444"];

    private readonly HttpClient _api = host.CreateClient(ConsoleHostFixture.AdminApiKey);

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task RunsWithSensitiveInput_LeakNoRawValue_IntoApiPagesAuditOrExports()
    {
        var agentKey = await CreateAgentAsync();
        var everything = $"SSN {Ssn}, card {Card}, member {Member}, mail {Email}";

        // Success: decisions pass, the offline model calls the tools with the real values and answers.
        var succeeded = await StartAsync(agentKey, industry: "Software", notes: everything);
        var done = await WaitForAsync(succeeded, r => r.GetProperty("status").GetString() is "Succeeded" or "Failed");
        Assert.Equal("Succeeded", done.GetProperty("status").GetString());

        // A value outside the decision's allowed values: the decision error quotes the input.
        var rejected = await StartAsync(agentKey, industry: everything, notes: "n/a");
        var rejectedEscalation = await EscalationOfAsync(rejected);
        await ResolveAsync(rejectedEscalation, "reject", $"Customer confirmed card {ReviewerCard} by phone; {Email} is theirs.");
        Assert.Equal("Cancelled", (await WaitForAsync(rejected, r => r.GetProperty("status").GetString() == "Cancelled")).GetProperty("status").GetString());

        var approved = await StartAsync(agentKey, industry: everything, notes: everything);
        var approvedEscalation = await EscalationOfAsync(approved);
        await ResolveAsync(approvedEscalation, "approve", $"Go ahead; the card on file is {ReviewerCard}.");
        await WaitForAsync(approved, r => r.GetProperty("status").GetString() is "Succeeded" or "Failed" or "WaitingForHuman" or "Cancelled");

        // A failure whose exception text quotes raw values (a damaged placeholder map echoes its entry).
        var failed = await CreateRunWithDamagedVaultAsync(agentKey, everything);
        await host.Services.GetRequiredService<RunExecutor>().ExecuteAsync(failed);
        var failedRun = await WaitForAsync(failed, r => r.GetProperty("status").GetString() == "Failed");
        // The exception text quoted the values; the stored reason carries their placeholders instead.
        Assert.Contains("Internal error", failedRun.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("<EMAIL_", failedRun.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("<MEMBER_ID_", failedRun.GetProperty("reason").GetString(), StringComparison.Ordinal);

        await host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        var runs = new[] { succeeded, rejected, approved, failed };
        var bodies = new List<(string Where, string Text)>();

        async Task Get(HttpClient client, string path)
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            bodies.Add((path, await response.Content.ReadAsStringAsync()));
        }

        await Get(_api, $"/api/v1/runs?agent={agentKey}&limit=200");
        foreach (var run in runs)
        {
            await Get(_api, $"/api/v1/runs/{run}");
            await Get(_api, $"/api/v1/audit?run={run}&limit=200");
        }

        foreach (var escalation in new[] { rejectedEscalation, approvedEscalation })
        {
            await Get(_api, $"/api/v1/escalations/{escalation}");
        }

        await Get(_api, $"/api/v1/audit?agent={agentKey}&limit=200");
        await Get(_api, $"/api/v1/audit/export?format=jsonl&agent={agentKey}");
        await Get(_api, $"/api/v1/audit/export?format=csv&agent={agentKey}");

        // Pages as a Manager (read-only) and a Reviewer see them: prerendered HTML over a real cookie session.
        using (var manager = await CookieSession.SignInAsync(host, Roles.Manager))
        {
            foreach (var run in runs)
            {
                await Get(manager.Client, $"/runs/{run}");
                await Get(manager.Client, $"/audit?run={run}");
            }

            await Get(manager.Client, "/runs");
        }

        using (var reviewer = await CookieSession.SignInAsync(host, Roles.Reviewer))
        {
            await Get(reviewer.Client, $"/runs/{approved}");
            await Get(reviewer.Client, "/escalations");
        }

        foreach (var (where, text) in bodies)
        {
            var decoded = WebUtility.HtmlDecode(text);
            foreach (var value in Raw)
            {
                Assert.False(decoded.Contains(value, StringComparison.Ordinal) || JsonStrings(text).Any(s => s.Contains(value, StringComparison.Ordinal)),
                    $"{where} shows the raw value {value}");
            }
        }

        // Not vacuous: the responses and pages do carry the redacted forms of these runs.
        Assert.Contains(bodies, b => b.Where == $"/api/v1/runs/{rejected}" && JsonStrings(b.Text).Any(s => s.Contains("allowed values", StringComparison.Ordinal)));
        Assert.Contains(bodies, b => b.Where == $"/api/v1/escalations/{rejectedEscalation}" && JsonStrings(b.Text).Any(s => s.Contains("<CARD_", StringComparison.Ordinal)));
        Assert.Contains(bodies, b => b.Where == $"/runs/{approved}" && WebUtility.HtmlDecode(b.Text).Contains("<MEMBER_ID_1>", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Where.Contains("format=jsonl", StringComparison.Ordinal) && b.Text.Contains("escalation.resolved", StringComparison.Ordinal));

        // And the audit log itself, every event of the agent, summary and payload.
        var events = await QueryAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.AgentKey == agentKey).ToListAsync());
        Assert.Contains(events, e => e.Action == "escalation.resolved");
        Assert.Contains(events, e => e.Action == "run.failed");
        foreach (var auditEvent in events)
        {
            foreach (var value in Raw)
            {
                Assert.DoesNotContain(value, auditEvent.Summary, StringComparison.Ordinal);
                Assert.DoesNotContain(value, auditEvent.Payload, StringComparison.Ordinal);
            }
        }
    }

    private async Task<string> CreateAgentAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var definition = DemoWorkspace.LeadRouter();
        definition.Key = $"leak-{suffix}";
        definition.Name = $"Leak check {suffix}";
        definition.EngineRoutes = [];
        // Its leads' companies are not in the sandbox CRM: the chat notice goes to the default channel, and neither it nor
        // the e-mail and the invitation to the lead's real address may leak what is redacted.
        definition.RedactionPatterns = [new AgentRedactionPattern { Name = "MEMBER_ID", Pattern = @"MBR-\d{6}" }];
        var created = await host.Services.GetRequiredService<AgentCatalog>().CreateAsync(definition, "system");
        Assert.True(created.Agent is not null, string.Join("; ", created.Errors.SelectMany(e => e.Value)));

        // The demo routing table with allowed values on industry, so an unexpected value is a decision error.
        var table = LeadRoutingTable.Create();
        table = table with
        {
            Name = $"Leak {suffix} routing",
            Inputs = [table.Inputs[0], table.Inputs[1] with { AllowedValues = "\"Software\",\"Retail\"" }],
        };
        var decisions = host.Services.GetRequiredService<DecisionCatalog>();
        var model = new DmnModel { Id = $"leak_{suffix}", Name = table.Name, Namespace = "https://agentconsole.local/tests", Decisions = [table] };
        var loaded = await decisions.CreateAsync(model, "system", definition.Key);
        var published = await decisions.PublishDraftAsync(loaded.Decision.Key, "system");
        Assert.True(published.Succeeded, published.Message);
        return definition.Key;
    }

    private async Task<Guid> StartAsync(string agentKey, string industry, string notes)
    {
        using var response = await _api.PostAsJsonAsync($"/api/v1/agents/{agentKey}/runs", new
        {
            input = new { name = "Jane Roe", email = Email, company = "Customer Ltd", employees = 42, industry, notes },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
    }

    private async Task<Guid> EscalationOfAsync(Guid runId)
    {
        var waiting = await WaitForAsync(runId, r => r.GetProperty("status").GetString() != "Queued" && r.GetProperty("status").GetString() != "Running");
        Assert.Equal("WaitingForHuman", waiting.GetProperty("status").GetString());
        var escalation = waiting.GetProperty("escalations")[0];
        Assert.Equal("Decision", escalation.GetProperty("kind").GetString());
        return escalation.GetProperty("id").GetGuid();
    }

    private async Task ResolveAsync(Guid escalationId, string action, string comment)
    {
        // A decision escalation is approved as one of the decision's allowed values, so the agent has a usable answer.
        var escalation = await _api.GetFromJsonAsync<JsonElement>($"/api/v1/escalations/{escalationId}");
        var value = action == "approve" && escalation.GetProperty("choices") is { ValueKind: JsonValueKind.Object } choices
            ? choices.GetProperty("values")[0].GetString()
            : null;
        using var resolved = await _api.PostAsJsonAsync($"/api/v1/escalations/{escalationId}/resolve", new { action, comment, value });
        Assert.Equal(HttpStatusCode.Accepted, resolved.StatusCode);
    }

    /// <summary>A queued run whose saved placeholder map is damaged; executing it fails with the entry's kind and placeholder in the exception text.</summary>
    private async Task<Guid> CreateRunWithDamagedVaultAsync(string agentKey, string notes)
    {
        var input = new JsonObject { ["name"] = "Jane Roe", ["email"] = Email, ["company"] = "Customer Ltd", ["employees"] = 42, ["notes"] = notes };
        var run = Run.Create(agentKey, "Leak check", input.ToJsonString(), "system", DateTimeOffset.UtcNow);
        var damaged = new JsonObject
        {
            ["version"] = 1,
            ["entries"] = new JsonArray(new JsonObject { ["kind"] = Email, ["placeholder"] = $"{Ssn} {Card} {Member}", ["value"] = "x" }),
        };
        run.Checkpoint("", damaged.ToJsonString(), run.CreatedAt);
        await QueryAsync(async db =>
        {
            db.Runs.Add(run);
            return await db.SaveChangesAsync();
        });
        return run.Id;
    }

    private async Task<T> QueryAsync<T>(Func<AgentConsoleDbContext, Task<T>> query)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    private async Task<JsonElement> WaitForAsync(Guid runId, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await _api.GetAsync($"/api/v1/runs/{runId}");
            var run = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (condition(run))
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Run {runId} is still {run.GetProperty("status").GetString()}: {run.GetRawText()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Every string in a JSON document or in each line of JSON Lines, unescaped; non-JSON text yields nothing.</summary>
    private static IEnumerable<string> JsonStrings(string text)
    {
        foreach (var line in text.StartsWith('{') && text.Contains('\n', StringComparison.Ordinal) ? text.Split('\n') : [text])
        {
            JsonNode? node;
            try
            {
                node = string.IsNullOrWhiteSpace(line) ? null : JsonNode.Parse(line);
            }
            catch (JsonException)
            {
                continue;
            }

            foreach (var s in Strings(node))
            {
                yield return s;
            }
        }

        static IEnumerable<string> Strings(JsonNode? node) => node switch
        {
            JsonObject o => o.SelectMany(p => Strings(p.Value)),
            JsonArray a => a.SelectMany(Strings),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
            _ => [],
        };
    }
}
