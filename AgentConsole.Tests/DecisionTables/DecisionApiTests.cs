using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.DecisionTables;

[Collection(ConsoleHostGroup.Name)]
public sealed class DecisionApiTests(ConsoleHostFixture host)
{
    private static readonly string TckFolder = Path.Combine(AppContext.BaseDirectory, "DecisionTables", "Tck");

    private async Task<HttpClient> ClientAsync(string role)
    {
        var key = await host.Services.GetRequiredService<ApiKeyService>().CreateAsync($"decisions-{role}-{Guid.NewGuid():N}", role, "test");
        return host.CreateClient(key.Secret);
    }

    // Anonymous objects would be camel-cased by the JSON defaults; DMN input names are case-sensitive.
    private static Dictionary<string, object> Inputs(params (string Name, object Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    private static StringContent Xml(string xml) => new(xml, Encoding.UTF8, "application/xml");

    private static string TckModel(string name) => File.ReadAllText(Path.Combine(TckFolder, name, name + ".dmn"));

    private static async Task<string> ImportAsync(HttpClient client, string name)
    {
        using var response = await client.PostAsync("/api/v1/decisions/import", Xml(TckModel(name)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("decisions")[0].GetProperty("key").GetString()!;
    }

    private static async Task<JsonElement> EvaluateAsync(HttpClient client, string key, object inputs, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (path, query) = key.Contains('?', StringComparison.Ordinal) ? (key[..key.IndexOf('?', StringComparison.Ordinal)], key[key.IndexOf('?', StringComparison.Ordinal)..]) : (key, "");
        using var response = await client.PostAsJsonAsync($"/api/v1/decisions/{path}/evaluate{query}", new { inputs });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Import_Returns201_WithAKeyDerivedFromTheDecisionName()
    {
        using var owner = await ClientAsync(Roles.Owner);

        using var response = await owner.PostAsync("/api/v1/decisions/import", Xml(TckModel("0004-simpletable-U")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var decision = body.GetProperty("decisions").EnumerateArray().Single();
        Assert.Equal("Approval Status", decision.GetProperty("name").GetString());
        Assert.StartsWith("approval-status", decision.GetProperty("key").GetString(), StringComparison.Ordinal);
        Assert.EndsWith($"/api/v1/decisions/{decision.GetProperty("key").GetString()}", response.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_FollowsDmn_ForASingleOutput()
    {
        using var owner = await ClientAsync(Roles.Owner);
        var key = await ImportAsync(owner, "0004-simpletable-U");

        var approved = await EvaluateAsync(owner, key, Inputs(("Age", 18), ("RiskCategory", "Medium"), ("isAffordable", true)));
        var declined = await EvaluateAsync(owner, key, Inputs(("Age", 17), ("RiskCategory", "Medium"), ("isAffordable", true)));

        Assert.Equal("Approved", approved.GetProperty("result").GetString());
        Assert.Single(approved.GetProperty("matchedRules").EnumerateArray());
        Assert.Equal("Declined", declined.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Evaluate_ReturnsAListOfObjects_ForOutputOrderWithSeveralOutputs()
    {
        using var owner = await ClientAsync(Roles.Owner);
        var key = await ImportAsync(owner, "0110-outputOrder-hitpolicy");

        var result = await EvaluateAsync(owner, key, Inputs(("Age", 17), ("RiskCategory", "High"), ("isAffordable", true)));

        var list = result.GetProperty("result").EnumerateArray().ToList();
        Assert.True(list.Count >= 2);
        Assert.Equal("Approved", list[0].GetProperty("Approved/Declined").GetString());
        Assert.Equal("Standard", list[0].GetProperty("Rate").GetString());
    }

    [Fact]
    public async Task Evaluate_OnTheDemoTable_ShowsItsGapAtTenEmployees()
    {
        using var manager = await ClientAsync(Roles.Manager);

        // Version 1 is the table as seeded; a browser test publishes the fixed version 2 of the same demo table.
        var ten = await EvaluateAsync(manager, "lead-routing?version=1", new { employees = 10, industry = "Retail" });
        var twoHundred = await EvaluateAsync(manager, "lead-routing?version=1", new { employees = 200 });

        Assert.Equal(JsonValueKind.Null, ten.GetProperty("result").ValueKind);
        Assert.Empty(ten.GetProperty("matchedRules").EnumerateArray());
        Assert.Equal("Mid-market sequence", twoHundred.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Evaluate_Returns400_ForAWrongInputType()
    {
        using var manager = await ClientAsync(Roles.Manager);

        using var response = await manager.PostAsJsonAsync("/api/v1/decisions/lead-routing/evaluate", new { inputs = new { employees = "many" } });

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("employees", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_Returns400_WhenInputsIsNotAnObject()
    {
        using var manager = await ClientAsync(Roles.Manager);

        using var response = await manager.PostAsJsonAsync("/api/v1/decisions/lead-routing/evaluate", new { inputs = "not an object" });

        await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UnknownKeys_Return404()
    {
        using var manager = await ClientAsync(Roles.Manager);

        using var get = await manager.GetAsync("/api/v1/decisions/no-such-table");
        using var evaluate = await manager.PostAsJsonAsync("/api/v1/decisions/no-such-table/evaluate", new { inputs = new { } });
        using var export = await manager.GetAsync("/api/v1/decisions/no-such-table/dmn");

        await ProblemJson.ReadAsync(get, HttpStatusCode.NotFound);
        await ProblemJson.ReadAsync(evaluate, HttpStatusCode.NotFound);
        await ProblemJson.ReadAsync(export, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Import_Returns400WithLineAndColumn_ForMalformedXml()
    {
        using var owner = await ClientAsync(Roles.Owner);

        using var response = await owner.PostAsync("/api/v1/decisions/import", Xml("<definitions>\n  <decision name=\"x\">\n</definitions>"));

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("line", problem.Detail(), StringComparison.OrdinalIgnoreCase);
        var issue = problem.GetProperty("issues")[0];
        Assert.True(issue.GetProperty("line").GetInt32() > 0);
    }

    [Fact]
    public async Task Import_Returns400_ForAnUnknownNamespace()
    {
        using var owner = await ClientAsync(Roles.Owner);

        using var response = await owner.PostAsync("/api/v1/decisions/import", Xml("<definitions xmlns=\"urn:not-dmn\" name=\"x\"/>"));

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("urn:not-dmn", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Returns415_ForANonXmlBody()
    {
        using var owner = await ClientAsync(Roles.Owner);

        using var response = await owner.PostAsJsonAsync("/api/v1/decisions/import", new { dmn = "nope" });

        await ProblemJson.ReadAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Import_IsRefused_ForManagers()
    {
        using var manager = await ClientAsync(Roles.Manager);

        using var response = await manager.PostAsync("/api/v1/decisions/import", Xml(TckModel("0004-simpletable-U")));

        await ProblemJson.ReadAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Export_ProducesDmn13_ThatImportsToTheSameDecision()
    {
        using var owner = await ClientAsync(Roles.Owner);
        var key = await ImportAsync(owner, "0006-simpletable-P1");

        using var export = await owner.GetAsync($"/api/v1/decisions/{key}/dmn");
        var xml = await export.Content.ReadAsStringAsync();
        using var again = await owner.PostAsync("/api/v1/decisions/import", Xml(xml));
        var secondKey = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("decisions")[0].GetProperty("key").GetString()!;

        Assert.Equal("application/xml", export.Content.Headers.ContentType?.MediaType);
        Assert.Contains(DmnXml.Dmn13Namespace, xml, StringComparison.Ordinal);
        var catalog = host.Services.GetRequiredService<DecisionCatalog>();
        var first = await catalog.LoadAsync(key);
        var second = await catalog.LoadAsync(secondKey);
        Assert.Equal(first!.Definition, second!.Definition);
    }

    [Fact]
    public async Task Publish_IsRefused_WhileATestCaseFails_AndSucceedsOnceFixed()
    {
        using var owner = await ClientAsync(Roles.Owner);
        var catalog = host.Services.GetRequiredService<DecisionCatalog>();
        var model = Engine.Demo.DemoWorkspace.LeadRoutingModel();
        var created = await catalog.CreateAsync(model with { Decisions = [model.Decisions[0] with { Name = "Routing " + Guid.NewGuid().ToString("N")[..6] }] }, "test");
        var key = created.Decision.Key;
        using (var add = await owner.PostAsJsonAsync($"/api/v1/decisions/{key}/tests", new { name = "Ten employees is mid-market", inputs = new { employees = 10 }, expected = "Mid-market sequence" }))
        {
            Assert.Equal(HttpStatusCode.Created, add.StatusCode);
        }

        using var refused = await owner.PostAsync($"/api/v1/decisions/{key}/publish", null);
        var problem = await ProblemJson.ReadAsync(refused, HttpStatusCode.Conflict);
        Assert.Contains("Ten employees is mid-market", problem.Detail(), StringComparison.Ordinal);

        var draft = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/decisions/{key}");
        var fixedModel = draft.GetProperty("model").GetRawText().Replace("[11..500]", "[10..500]", StringComparison.Ordinal);
        using var save = await owner.PutAsync($"/api/v1/decisions/{key}",
            new StringContent($"{{\"model\": {fixedModel}, \"revision\": {draft.GetProperty("version").GetProperty("revision").GetInt32()}}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, save.StatusCode);
        using var published = await owner.PostAsync($"/api/v1/decisions/{key}/publish", null);

        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var ten = await EvaluateAsync(owner, key, new { employees = 10 });
        Assert.Equal("Mid-market sequence", ten.GetProperty("result").GetString());
    }

    [Fact]
    public async Task SaveDraft_Returns409_ForAStaleRevision()
    {
        using var owner = await ClientAsync(Roles.Owner);
        var key = await ImportAsync(owner, "0004-simpletable-U");
        var current = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/decisions/{key}");
        var body = $"{{\"model\": {current.GetProperty("model").GetRawText()}, \"revision\": {current.GetProperty("version").GetProperty("revision").GetInt32()}}}";
        using (var first = await owner.PutAsync($"/api/v1/decisions/{key}", new StringContent(body, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var second = await owner.PutAsync($"/api/v1/decisions/{key}", new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemJson.ReadAsync(second, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Diff_AndRollback_WorkOverTheApi()
    {
        using var owner = await ClientAsync(Roles.Owner);
        var catalog = host.Services.GetRequiredService<DecisionCatalog>();
        var model = Engine.Demo.DemoWorkspace.LeadRoutingModel();
        var key = (await catalog.CreateAsync(model with { Decisions = [model.Decisions[0] with { Name = "Diff " + Guid.NewGuid().ToString("N")[..6] }] }, "test")).Decision.Key;
        await catalog.PublishDraftAsync(key, "test");
        var table = (DecisionTableDefinition)model.Decisions[0];
        await catalog.SaveDraftAsync(key, model with { Decisions = [table with { Name = (await catalog.LoadAsync(key))!.Decision.Name, Rules = [table.Rules[0], table.Rules[1] with { InputEntries = ["[10..500]", "-"] }, table.Rules[2]] }] }, null, "test");
        await catalog.PublishDraftAsync(key, "test");

        var diff = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/decisions/{key}/diff?from=1&to=2");
        using var rollback = await owner.PostAsync($"/api/v1/decisions/{key}/rollback?version=1", null);
        using var badRollback = await owner.PostAsync($"/api/v1/decisions/{key}/rollback?version=1", null);

        var change = diff.EnumerateArray().Single();
        Assert.Equal("[11..500]", change.GetProperty("from").GetString());
        Assert.Equal("[10..500]", change.GetProperty("to").GetString());
        Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        await ProblemJson.ReadAsync(badRollback, HttpStatusCode.Conflict);
        Assert.Equal(1, (await catalog.LoadAsync(key, DecisionCatalog.Published))!.Version.Number);
    }

    [Fact]
    public async Task List_ShowsTheDemoTable_BoundToTheDemoAgent()
    {
        using var reviewer = await ClientAsync(Roles.Reviewer);

        var list = await reviewer.GetFromJsonAsync<JsonElement>("/api/v1/decisions?agent=lead-router");

        var demo = list.EnumerateArray().Single(d => d.GetProperty("key").GetString() == "lead-routing");
        Assert.Equal("Lead routing", demo.GetProperty("name").GetString());
        Assert.Equal(3, demo.GetProperty("rules").GetInt32());
    }

    [Fact]
    public async Task Analyze_ReportsThePracticeGuidesGap_AtExactlyTenEmployees()
    {
        using var reviewer = await ClientAsync(Roles.Reviewer);

        using var response = await reviewer.PostAsync("/api/v1/decisions/lead-routing/analyze?version=1", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var gap = body.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "Gap");
        Assert.Equal(10m, gap.GetProperty("example").GetProperty("employees").GetDecimal());
        Assert.False(body.GetProperty("isPartial").GetBoolean());
    }

    [Fact]
    public async Task Analyze_ReportsAnOverlap_WithBothRulesAndAnExample()
    {
        using var owner = await ClientAsync(Roles.Owner);
        var catalog = host.Services.GetRequiredService<DecisionCatalog>();
        var model = Engine.Demo.DemoWorkspace.LeadRoutingModel();
        var table = (DecisionTableDefinition)model.Decisions[0];
        var key = (await catalog.CreateAsync(model with { Decisions = [table with { Name = "Overlap " + Guid.NewGuid().ToString("N")[..6], Rules = [table.Rules[0] with { InputEntries = ["<= 10", "-"] }, table.Rules[1] with { InputEntries = ["[10..500]", "-"] }, table.Rules[2]] }] }, "test")).Decision.Key;

        var body = await (await owner.PostAsync($"/api/v1/decisions/{key}/analyze", null)).Content.ReadFromJsonAsync<JsonElement>();

        var overlap = body.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "Overlap");
        Assert.Equal([table.Rules[0].Id, table.Rules[1].Id], overlap.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(10m, overlap.GetProperty("example").GetProperty("employees").GetDecimal());
        Assert.DoesNotContain(body.GetProperty("findings").EnumerateArray(), f => f.GetProperty("kind").GetString() == "Gap");
    }

    [Fact]
    public async Task Analyze_ListsPartialCells_AndNestsPathExamples_ForStructuredAndListInputs()
    {
        using var reviewer = await ClientAsync(Roles.Reviewer);
        var table = new Analysis.TableBuilder().Input("Products").Input("Lead.employees").Input("Lead.industry")
            .Rule("\"Widget\"", "< 10", "\"Tech\",\"Retail\"", "\"a\"")
            .Rule("-", ">= 10", "-", "\"b\"")
            .Build() with { Name = "Structured " + Guid.NewGuid().ToString("N")[..6] };
        var model = Analysis.StructuredInputAnalysisTests.LeadModel(table, new InputData { Name = "Products", TypeName = "tProducts" });
        var key = (await host.Services.GetRequiredService<DecisionCatalog>().CreateAsync(model, "test")).Decision.Key;

        using var response = await reviewer.PostAsync($"/api/v1/decisions/{key}/analyze", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("isPartial").GetBoolean());
        Assert.Equal(1, body.GetProperty("partialCellCount").GetInt32());
        var cell = body.GetProperty("partialCells").EnumerateArray().Single();
        Assert.Equal(("r1", 0, "Products", "\"Widget\""), (cell.GetProperty("ruleId").GetString(), cell.GetProperty("column").GetInt32(), cell.GetProperty("input").GetString(), cell.GetProperty("text").GetString()));
        Assert.Contains("is a list", cell.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // The industry column takes its allowed values from tIndustry, so the one gap is "Health" for small leads.
        var gap = body.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "Gap");
        Assert.Equal("Health", gap.GetProperty("example").GetProperty("Lead.industry").GetString());
        Assert.Equal("Health", gap.GetProperty("exampleInput").GetProperty("Lead").GetProperty("industry").GetString());
    }

    [Theory]
    [InlineData(50_000, "characters long")]
    [InlineData(2_000, "nests more than")]
    public async Task Import_Returns400_NamingRuleInputAndPosition_WhenACellIsPastTheLimits(int depth, string reason)
    {
        using var owner = await ClientAsync(Roles.Owner);
        var deep = string.Concat(Enumerable.Repeat("(", depth)) + "18" + string.Concat(Enumerable.Repeat(")", depth));
        var xml = TckModel("0004-simpletable-U").Replace("<text>&gt;=18</text>", $"<text>&gt;={deep}</text>", StringComparison.Ordinal);
        var before = (await host.Services.GetRequiredService<DecisionCatalog>().ListAsync()).Count;

        using var response = await owner.PostAsync("/api/v1/decisions/import", Xml(xml));

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("rule 1", problem.Detail(), StringComparison.Ordinal);
        Assert.Contains("input 1: Input entry: ", problem.Detail(), StringComparison.Ordinal);
        Assert.Contains(reason, problem.Detail(), StringComparison.Ordinal);
        Assert.Matches(@"\(line 1, column \d+\)", problem.Detail());
        Assert.Equal(before, (await host.Services.GetRequiredService<DecisionCatalog>().ListAsync()).Count);
    }

    [Fact]
    public async Task SaveDraft_Returns400_WithTheCellAndOffset_WhenAnOutputEntryNestsTooDeeply()
    {
        using var owner = await ClientAsync(Roles.Owner);
        var catalog = host.Services.GetRequiredService<DecisionCatalog>();
        var model = Engine.Demo.DemoWorkspace.LeadRoutingModel();
        var table = (DecisionTableDefinition)model.Decisions[0];
        var name = "Deep " + Guid.NewGuid().ToString("N")[..6];
        var key = (await catalog.CreateAsync(model with { Decisions = [table with { Name = name }] }, "test")).Decision.Key;
        var deep = string.Concat(Enumerable.Repeat("-", 5_000)) + "employees";
        var edited = model with { Decisions = [table with { Name = name, Rules = [table.Rules[0], table.Rules[1] with { OutputEntries = [deep] }, table.Rules[2]] }] };

        using var response = await owner.PutAsJsonAsync($"/api/v1/decisions/{key}", new { model = edited }, DecisionJson.Options);

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        var error = problem.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal(2, error.GetProperty("rule").GetInt32());
        Assert.Equal(table.Rules[1].Id, error.GetProperty("ruleId").GetString());
        Assert.Equal(1, error.GetProperty("column").GetInt32());
        Assert.Equal("OutputEntry", error.GetProperty("part").GetString());
        Assert.InRange(error.GetProperty("offset").GetInt32(), 0, FeelParser.MaxDepth);
        Assert.Contains("nests more than", problem.Detail(), StringComparison.Ordinal);
        Assert.Equal(1, (await catalog.LoadAsync(key))!.Version.Revision);
    }
}
