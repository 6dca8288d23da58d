using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools.Crm;
using AgentConsole.Engine.Triggers;
using AgentConsole.Tests.Triggers.Polling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Triggers.Crm;

/// <summary>CRM status-change triggers over the sandbox CRM's status history (demo data seeded in a real SQLite file).</summary>
public sealed class CrmStatusTriggerTests : IAsyncLifetime
{
    private const string AgentKey = "lead-follow-up";
    private PollingTestBed _bed = null!;

    public async Task InitializeAsync()
    {
        _bed = await PollingTestBed.StartAsync();
        await _bed.Host.CreateAgentAsync(new AgentDefinition
        {
            Key = AgentKey,
            Name = "Lead follow-up",
            InputFields =
            [
                new() { Name = "leadId", Type = InputFieldType.Text, Required = true },
                new() { Name = "status", Type = InputFieldType.Text, Required = true },
            ],
        });
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private CrmSandbox Sandbox => _bed.Host.Services.GetRequiredService<CrmSandbox>();

    private Task<Trigger> CreateAsync(string[] from, string[] to) => _bed.CreateAsync(TriggerKind.CrmStatus,
        new JsonObject { ["from"] = new JsonArray([.. from.Select(f => (JsonNode?)f)]), ["to"] = new JsonArray([.. to.Select(t => (JsonNode?)t)]) },
        mapping: new Dictionary<string, string> { ["leadId"] = "leadId", ["status"] = "to" }, agentKey: AgentKey);

    private Task<CrmLead> LeadAsync(CrmLeadStatus status) =>
        _bed.Host.QueryAsync(db => db.Set<CrmLead>().AsNoTracking().OrderBy(l => l.Id).FirstAsync(l => l.Status == status));

    private Task<JsonObject> SetStatusAsync(CrmLead lead, CrmLeadStatus status, CrmWrite? write = null) =>
        Sandbox.SetStatusAsync(write ?? CrmWrite.ByPerson("sales@agentconsole.local"), null, lead.LeadId, status, "Changed in a test.", CancellationToken.None);

    /// <summary>Processes the inbox until the trigger's events are handled (the host's own processor may take some first).</summary>
    private async Task<List<TriggerEvent>> ProcessedEventsAsync(Trigger trigger)
    {
        var processor = _bed.Host.Services.GetRequiredService<TriggerEventProcessor>();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await processor.ProcessBatchAsync(CancellationToken.None);
            var events = await _bed.EventsAsync(trigger);
            if (events.All(e => e.Status != TriggerEventStatus.Received))
            {
                return events;
            }

            await Task.Delay(20);
        }

        throw new InvalidOperationException("The trigger's events stayed unprocessed.");
    }

    [Fact]
    public async Task StatusChange_BecomesAnEvent_AndARunOfTheTriggersAgent_WhenFromAndToMatch()
    {
        var lead = await LeadAsync(CrmLeadStatus.New);
        var trigger = await CreateAsync([nameof(CrmLeadStatus.New)], [nameof(CrmLeadStatus.Qualified)]);
        Assert.Equal(0, (await _bed.PollAsync(trigger)).Received);

        await SetStatusAsync(lead, CrmLeadStatus.Qualified);
        var result = await _bed.PollAsync(trigger);

        Assert.Equal((1, null), (result.Received, result.Error));
        var evt = Assert.Single(await ProcessedEventsAsync(trigger));
        Assert.Equal(TriggerEventStatus.RunStarted, evt.Status);
        var payload = JsonNode.Parse(evt.PayloadJson!)!.AsObject();
        Assert.Equal((lead.LeadId, "New", "Qualified", "sales@agentconsole.local"),
            (payload["leadId"]!.GetValue<string>(), payload["from"]!.GetValue<string>(), payload["to"]!.GetValue<string>(), payload["changedBy"]!.GetValue<string>()));
        Assert.Equal(lead.Email, payload["lead"]!["email"]!.GetValue<string>());
        var historyId = await _bed.Host.QueryAsync(db => db.Set<CrmStatusChange>().MaxAsync(h => h.Id));
        Assert.Equal($"crm-status:{historyId}", evt.DedupKey);
        var run = await _bed.Host.Runs.GetAsync(evt.RunId!.Value, CancellationToken.None);
        Assert.NotNull(run);
        Assert.Equal(AgentKey, run.Run.AgentKey);
        Assert.Equal(trigger.Key, run.Run.TriggerKey);
        var input = JsonNode.Parse(run.Run.InputJson)!;
        Assert.Equal((lead.LeadId, "Qualified"), (input["leadId"]!.GetValue<string>(), input["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task StatusChange_IsIgnored_WhenFromOrToDoNotMatch_AndHistoryBeforeTheTriggerIsNotReplayed()
    {
        var lead = await LeadAsync(CrmLeadStatus.New);
        await SetStatusAsync(lead, CrmLeadStatus.Contacted);
        var qualifiedOnly = await CreateAsync([], [nameof(CrmLeadStatus.Qualified)]);
        var fromContacted = await CreateAsync([nameof(CrmLeadStatus.Contacted)], []);
        await _bed.PollAsync(qualifiedOnly);
        await _bed.PollAsync(fromContacted);

        await SetStatusAsync(lead, CrmLeadStatus.Disqualified);
        await SetStatusAsync(lead, CrmLeadStatus.Qualified);
        var any = await _bed.PollAsync(qualifiedOnly);
        var contacted = await _bed.PollAsync(fromContacted);

        Assert.Equal(["Qualified"], (await _bed.PayloadsAsync(qualifiedOnly)).Select(p => p["to"]!.GetValue<string>()));
        Assert.Equal(["Disqualified"], (await _bed.PayloadsAsync(fromContacted)).Select(p => p["to"]!.GetValue<string>()));
        Assert.Equal((1, 1), (any.Received, contacted.Received));
        Assert.Equal(0, (await _bed.PollAsync(qualifiedOnly)).Received);
    }

    [Fact]
    public async Task StatusChange_MadeByARunOfTheSameAgent_DoesNotTriggerItAgain_ButAnotherAgentsDoes()
    {
        var lead = await LeadAsync(CrmLeadStatus.New);
        var trigger = await CreateAsync([], []);
        await _bed.PollAsync(trigger);
        var ownRun = await _bed.Host.StartRunAsync(AgentKey, $$"""{"leadId":"{{lead.LeadId}}","status":"New"}""");
        var otherRun = await _bed.Host.StartRunAsync("lead-router", """{"name":"Dana","email":"dana@acme.example","company":"Acme GmbH","employees":42}""");

        await SetStatusAsync(lead, CrmLeadStatus.Contacted, new CrmWrite($"agent:{AgentKey}", CrmTools.SetLeadStatus, AgentKey, ownRun, "call-1", $"{ownRun:N}-1"));
        await SetStatusAsync(lead, CrmLeadStatus.Routed, new CrmWrite("agent:lead-router", CrmTools.SetLeadStatus, "lead-router", otherRun, "call-1", $"{otherRun:N}-1"));
        var result = await _bed.PollAsync(trigger);

        Assert.Equal(1, result.Received);
        var payload = Assert.Single(await _bed.PayloadsAsync(trigger));
        Assert.Equal(("Contacted", "Routed", otherRun.ToString()), (payload["from"]!.GetValue<string>(), payload["to"]!.GetValue<string>(), payload["runId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Create_RefusesUnknownStatuses_AndNormalisesKnownOnes()
    {
        var refused = await _bed.Catalog.CreateAsync(AgentKey, new TriggerDraft("Status", TriggerKind.CrmStatus,
            Settings: new JsonObject { ["from"] = new JsonArray("new", "Lost"), ["to"] = "Qualified" }), "tests");
        var created = await CreateAsync(["new", " qualified "], []);

        Assert.Equal(TriggerCommandOutcome.Invalid, refused.Outcome);
        Assert.Contains("Lost", Assert.Single(refused.Errors!["settings.from"]), StringComparison.Ordinal);
        Assert.Contains("list", Assert.Single(refused.Errors!["settings.to"]), StringComparison.Ordinal);
        Assert.Equal("""{"from":["New","Qualified"],"to":[]}""", created.SettingsJson);
        Assert.Contains("signing", _bed.Catalog.SecretNames(created)); // a live CRM signs its posts to /hooks/{key}
    }
}
