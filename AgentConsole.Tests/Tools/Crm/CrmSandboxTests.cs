using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.Crm;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Tools.Crm;

/// <summary>The sandbox CRM through the tool invoker, over a real SQLite file with the demo data seeded.</summary>
public sealed class CrmSandboxTests : IAsyncLifetime
{
    private static readonly Guid RunId = Guid.Parse("0b8f2d1e-5a6c-4e3b-9f7a-1c2d3e4f5a6b");
    private readonly string _folder = RunHost.NewFolder();
    private RunHost _host = null!;

    public async Task InitializeAsync() => _host = await RunHost.StartAsync(_folder);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        RunHost.DeleteFolder(_folder);
    }

    private async Task<ToolCallOutcome> InvokeAsync(string tool, JsonObject arguments, string callId = "call-1", Guid? runId = null)
    {
        var definition = _host.Services.GetRequiredService<ToolRegistry>().All.Single(t => t.Key == tool);
        var scope = definition.Access == ToolAccess.Write ? ToolScope.Write : ToolScope.Read;
        return await _host.Services.GetRequiredService<ToolInvoker>()
            .InvokeAsync(definition, scope, arguments, runId ?? RunId, DemoWorkspace.LeadRouterKey, callId, null, false, CancellationToken.None);
    }

    private Task<int> CountAsync<T>(Func<IQueryable<T>, IQueryable<T>>? filter = null) where T : class =>
        _host.QueryAsync(db => (filter ?? (q => q))(db.Set<T>()).CountAsync());

    [Fact]
    public async Task Seed_AddsTheDemoCompaniesOnce_WhenRunAgain()
    {
        var seed = _host.Services.GetRequiredService<CrmSeed>();
        var companies = await CountAsync<CrmCompany>();
        var leads = await CountAsync<CrmLead>();

        var again = await seed.EnsureAsync(CancellationToken.None);

        Assert.False(again);
        Assert.Equal(CrmSeed.Companies.Count, companies);
        Assert.Equal(companies, await CountAsync<CrmCompany>());
        Assert.Equal(leads, await CountAsync<CrmLead>());
        var acme = await _host.QueryAsync(db => db.Set<CrmCompany>().SingleAsync(c => c.Name == "Acme GmbH"));
        Assert.Equal((42, false), (acme.Employees, acme.HighStakes));
        var initech = await _host.QueryAsync(db => db.Set<CrmCompany>().SingleAsync(c => c.Name == "Initech"));
        Assert.Equal((350, true, 250m), (initech.Employees, initech.HighStakes, initech.HighStakesCostUsd));
    }

    [Fact]
    public async Task Seed_SurvivesARestart_WithoutDuplicates()
    {
        var companies = await CountAsync<CrmCompany>();
        await _host.DisposeAsync();

        _host = await RunHost.StartAsync(_folder);

        Assert.Equal(companies, await CountAsync<CrmCompany>());
    }

    [Fact]
    public async Task FindCompany_FindsTheAccountByEmailDomain_OrByNameIgnoringCase()
    {
        var byDomain = await InvokeAsync(CrmTools.FindCompany, new() { ["company"] = "Someone else", ["email"] = "peter@INITECH.example" });
        var byName = await InvokeAsync(CrmTools.FindCompany, new() { ["company"] = "acme gmbh" });
        var unknown = await InvokeAsync(CrmTools.FindCompany, new() { ["company"] = "Nobody Inc", ["email"] = "x@nobody.example" });

        Assert.Equal("Initech", byDomain.Result!["company"]!.GetValue<string>());
        Assert.True(byDomain.Result["highStakes"]!.GetValue<bool>());
        Assert.Contains("key account", byDomain.Result["highStakesReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(byDomain.Result["existingCustomer"]!.GetValue<bool>());
        Assert.Equal(("Acme GmbH", "Sales EMEA", false), (byName.Result!["company"]!.GetValue<string>(), byName.Result["team"]!.GetValue<string>(), byName.Result["highStakes"]!.GetValue<bool>()));
        Assert.StartsWith("ACC-", byName.Result["accountId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(unknown.Result!["found"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CrmPageSearch_IgnoresCase_AndTakesWildcardsLiterally_OnEitherProvider()
    {
        var crm = _host.Services.GetRequiredService<CrmAdministration>();

        var byName = await crm.CompaniesAsync("aCmE", 0, 50);
        var byTeam = await crm.CompaniesAsync("enterprise SALES", 0, 50);
        var wildcard = await crm.CompaniesAsync("%", 0, 50);
        var underscore = await crm.CompaniesAsync("Acme_GmbH", 0, 50);

        Assert.Equal(["Acme GmbH"], byName.Items.Select(c => c.Name));
        Assert.Contains("Hooli", byTeam.Items.Select(c => c.Name));
        Assert.All(byTeam.Items, c => Assert.Equal("Enterprise Sales", c.OwningTeam));
        Assert.Equal(0, wildcard.Total);
        Assert.Equal(0, underscore.Total);
    }

    [Fact]
    public async Task UpdateLead_HasOneEffect_WhenTheSameCallComesTwice()
    {
        var arguments = new JsonObject { ["email"] = "New.Person@Acme.example", ["name"] = "New Person", ["route"] = "SMB sequence", ["owner"] = "Sales EMEA" };

        var first = await InvokeAsync(CrmTools.UpdateLead, arguments);
        var again = await InvokeAsync(CrmTools.UpdateLead, arguments);

        Assert.True(first.Succeeded, first.Error);
        Assert.Equal(first.Result!.ToJsonString(), again.Result!.ToJsonString());
        Assert.True(first.Result["created"]!.GetValue<bool>());
        var lead = await _host.QueryAsync(db => db.Set<CrmLead>().Include(l => l.Company).SingleAsync(l => l.Email == "new.person@acme.example"));
        Assert.Equal(("SMB sequence", "Sales EMEA", CrmLeadStatus.New, "Acme GmbH"), (lead.Route, lead.Owner, lead.Status, lead.Company!.Name));
        var change = Assert.Single(await _host.QueryAsync(db => db.Set<CrmChange>().Where(c => c.RunId == RunId).ToListAsync()));
        Assert.Equal((CrmChangeKind.LeadCreated, "call-1", ToolCall.Derive(RunId, "call-1")), (change.Kind, change.CallId, change.IdempotencyKey));

        // Another call of the same run is another effect.
        var other = await InvokeAsync(CrmTools.UpdateLead, new() { ["email"] = "new.person@acme.example", ["route"] = "Mid-market sequence" }, callId: "call-2");
        Assert.False(other.Result!["created"]!.GetValue<bool>());
        Assert.Equal(["route: SMB sequence → Mid-market sequence"], other.Result["changed"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(2, await CountAsync<CrmChange>(q => q.Where(c => c.RunId == RunId)));
    }

    [Fact]
    public async Task SetLeadStatus_RecordsTheHistoryOnce_WhenTheSameCallComesTwice()
    {
        var arguments = new JsonObject { ["email"] = "alice@umbrella.example", ["status"] = "Qualified", ["reason"] = "Budget confirmed." };

        var first = await InvokeAsync(CrmTools.SetLeadStatus, arguments);
        var again = await InvokeAsync(CrmTools.SetLeadStatus, arguments);

        Assert.True(first.Succeeded, first.Error);
        Assert.Equal(("New", "Qualified"), (first.Result!["previousStatus"]!.GetValue<string>(), first.Result["status"]!.GetValue<string>()));
        Assert.Equal(first.Result.ToJsonString(), again.Result!.ToJsonString());
        var history = Assert.Single(await _host.QueryAsync(db => db.Set<CrmStatusChange>().Where(h => h.RunId == RunId).ToListAsync()));
        Assert.Equal((CrmLeadStatus.New, CrmLeadStatus.Qualified, "Budget confirmed."), (history.From, history.To, history.Reason));
        Assert.Equal(CrmLeadStatus.Qualified, (await _host.QueryAsync(db => db.Set<CrmLead>().SingleAsync(l => l.Email == "alice@umbrella.example"))).Status);
        Assert.Equal(1, await CountAsync<CrmChange>(q => q.Where(c => c.RunId == RunId)));
    }

    [Fact]
    public async Task CreateTask_CreatesOneTask_WhenTheSameCallComesTwice()
    {
        var arguments = new JsonObject { ["leadId"] = "LEAD-00002", ["title"] = "Call Alice back", ["dueDate"] = "2026-12-10" };

        var first = await InvokeAsync(CrmTools.CreateTask, arguments);
        var again = await InvokeAsync(CrmTools.CreateTask, arguments);
        var second = await InvokeAsync(CrmTools.CreateTask, arguments, callId: "call-2");

        Assert.True(first.Succeeded, first.Error);
        Assert.Equal(first.Result!.ToJsonString(), again.Result!.ToJsonString());
        Assert.NotEqual(first.Result["taskId"]!.GetValue<string>(), second.Result!["taskId"]!.GetValue<string>());
        var tasks = await _host.QueryAsync(db => db.Set<CrmTask>().Where(t => t.RunId == RunId).OrderBy(t => t.Id).ToListAsync());
        Assert.Equal(2, tasks.Count);
        Assert.Equal((new DateOnly(2026, 12, 10), "Call Alice back"), (tasks[0].DueDate, tasks[0].Title));
        Assert.Equal(ToolCall.Derive(RunId, "call-1"), tasks[0].IdempotencyKey);
    }

    [Theory]
    [InlineData(CrmTools.UpdateLead, """{"route":"SMB sequence"}""", "email")]
    [InlineData(CrmTools.UpdateLead, """{"email":"not-an-address"}""", "does not match format \"email\"")]
    [InlineData(CrmTools.SetLeadStatus, """{"email":"alice@umbrella.example","status":"Won"}""", "status")]
    [InlineData(CrmTools.SetLeadStatus, """{"email":"nobody@nowhere.example","status":"Qualified"}""", "has no lead")]
    [InlineData(CrmTools.CreateTask, """{"email":"alice@umbrella.example","title":"x","dueDate":"next week"}""", "dueDate")]
    [InlineData(CrmTools.CreateTask, """{"title":"Call back"}""", "Required properties [\"leadId\"]")]
    [InlineData(CrmTools.FindCompany, """{}""", "Required properties [\"company\"]")]
    public async Task Call_IsRefusedWithAClearMessage_AndChangesNothing_WhenTheArgumentsAreBad(string tool, string arguments, string expected)
    {
        var changes = await CountAsync<CrmChange>();

        var outcome = await InvokeAsync(tool, JsonNode.Parse(arguments)!.AsObject());

        Assert.Equal(ToolFailureKind.InvalidArguments, outcome.Failure);
        Assert.True(outcome.Error!.Contains(expected, StringComparison.OrdinalIgnoreCase), outcome.Error);
        Assert.Equal(changes, await CountAsync<CrmChange>());
    }

    [Fact]
    public async Task AccountStakes_RaiseTheCost_ForAnAddressAtAHighStakesCompanyOnly()
    {
        var stakes = _host.Services.GetRequiredService<IAccountStakes>();

        var initech = await stakes.ForRecipientAsync("bill.lumbergh@initech.example", CancellationToken.None);
        var acme = await stakes.ForRecipientAsync("dana@acme.example", CancellationToken.None);
        var unknown = await stakes.ForRecipientAsync("someone@unknown.example", CancellationToken.None);
        var garbage = await stakes.ForRecipientAsync("not an address", CancellationToken.None);

        Assert.NotNull(initech);
        Assert.Equal(250m, initech.CostToUndoUsd);
        Assert.StartsWith("Initech is marked high-stakes: key account", initech.Reason, StringComparison.Ordinal);
        Assert.Null(acme);
        Assert.Null(unknown);
        Assert.Null(garbage);
    }

    [Fact]
    public async Task DemoRun_ForAcme_LeavesItsEffectsInTheSandboxCrm()
    {
        var id = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey,
            """{"name":"Dana Lee","email":"dana@acme.example","company":"Acme GmbH","employees":42,"industry":"Software"}""");

        var detail = await _host.ExecuteAsync(id);

        Assert.True(detail.Run.Status == RunStatus.Succeeded, FakeProviderRuns.Timeline(detail));
        // The CRM part of the demo's path comes first; the messaging tools after it are DemoToolsTests' subject.
        Assert.Equal([CrmTools.FindCompany, CrmTools.UpdateLead, CrmTools.SetLeadStatus],
            detail.Steps.Where(s => s.Kind == RunStepKind.ToolCall).Select(s => s.ToolName).Take(3));
        var lead = await _host.QueryAsync(db => db.Set<CrmLead>().Include(l => l.Company).SingleAsync(l => l.Email == "dana@acme.example"));
        Assert.Equal(("Dana Lee", "Mid-market sequence", "Sales EMEA", CrmLeadStatus.Routed, "Acme GmbH"),
            (lead.Name, lead.Route, lead.Owner, lead.Status, lead.Company!.Name));
        var changes = await _host.QueryAsync(db => db.Set<CrmChange>().Where(c => c.RunId == id).OrderBy(c => c.Id).ToListAsync());
        Assert.Equal([CrmChangeKind.LeadCreated, CrmChangeKind.StatusSet], changes.Select(c => c.Kind));
        Assert.All(changes, c => Assert.Equal("agent:" + DemoWorkspace.LeadRouterKey, c.Actor));

        // Run again (a re-executed job): the journal answers, the CRM is not written twice.
        await _host.ExecuteAsync(id);
        Assert.Equal(2, await CountAsync<CrmChange>(q => q.Where(c => c.RunId == id)));
    }

    /// <summary>A SQLite migration's data fix (PostgreSQL installations start after it), so on SQLite whatever the test provider.</summary>
    [Fact]
    public async Task GrantMigration_MapsTheRetiredDemoToolsToTheirSuccessors()
    {
        var folder = RunHost.NewFolder();
        await using var sqlite = await RunHost.StartAsync(folder, null, RunHost.OnSqlite(folder));
        await sqlite.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            """UPDATE Agents SET ToolGrants = '[{{"Tool":"crm_lookup","Scope":"Read"}},{{"Tool":"enroll_in_sequence","Scope":"Write"}},{{"Tool":"notify_team","Scope":"Write"}}]' WHERE Key = 'lead-router'"""));

        await sqlite.QueryAsync(db => db.Database.ExecuteSqlRawAsync(CrmGrantMigration.UpSql));

        var agent = await sqlite.Services.GetRequiredService<AgentCatalog>().FindAsync(DemoWorkspace.LeadRouterKey);
        Assert.Equal([(CrmTools.FindCompany, ToolScope.Read), (CrmTools.UpdateLead, ToolScope.Write), ("chat_notify", ToolScope.Write)], agent!.Tools.Select(t => (t.Tool, t.Scope)));
        await sqlite.DisposeAsync();
        RunHost.DeleteFolder(folder);
    }
}
