using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.DecisionTables;

/// <summary>Whole DMN models over the real HTTP API: evaluating any decision, intermediates, the graph, refused saves.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class DecisionModelApiTests(ConsoleHostFixture host)
{
    private async Task<HttpClient> ClientAsync(string role)
    {
        var key = await host.Services.GetRequiredService<ApiKeyService>().CreateAsync($"models-{role}-{Guid.NewGuid():N}", role, "test");
        return host.CreateClient(key.Secret);
    }

    /// <summary>Imports the two-level lead model with a routing decision named for this test (the host is shared).</summary>
    private static async Task<(string Key, string Routing)> ImportLeadModelAsync(HttpClient client)
    {
        var routing = "Lead routing " + Guid.NewGuid().ToString("N")[..6];
        var xml = (await File.ReadAllTextAsync(DecisionModelTests.LeadModelPath)).Replace("Lead routing", routing, StringComparison.Ordinal);
        using var response = await client.PostAsync("/api/v1/decisions/import", new StringContent(xml, Encoding.UTF8, "application/xml"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var imported = JsonDocument.Parse(text).RootElement.GetProperty("decisions").EnumerateArray().Single();
        Assert.Equal(routing, imported.GetProperty("name").GetString());
        return (imported.GetProperty("key").GetString()!, routing);
    }

    private static Task<HttpResponseMessage> EvaluateAsync(HttpClient client, string key, string inputsJson, string? decision = null, string query = "") =>
        client.PostAsync($"/api/v1/decisions/{key}/evaluate{query}", new StringContent(
            decision is null ? $"{{\"inputs\": {inputsJson}}}" : $"{{\"inputs\": {inputsJson}, \"decision\": {JsonSerializer.Serialize(decision)}}}",
            Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Evaluate_RunsTheTopDecision_WithTheRequiredScoreAsIntermediate()
    {
        using var owner = await ClientAsync(Roles.Owner);
        var (key, routing) = await ImportLeadModelAsync(owner);

        using var response = await EvaluateAsync(owner, key, """{"Lead": {"employees": 120, "country": "DE"}}""");

        var body = await OkAsync(response);
        Assert.Equal("Enterprise DACH", body.GetProperty("result").GetString());
        Assert.Equal(routing, body.GetProperty("decision").GetString());
        Assert.Equal(["routing_dach"], body.GetProperty("matchedRules").EnumerateArray().Select(r => r.GetString()));
        var intermediate = body.GetProperty("intermediates").EnumerateArray().Single();
        Assert.Equal("Lead score", intermediate.GetProperty("decision").GetString());
        Assert.Equal(50m, intermediate.GetProperty("result").GetDecimal());
        Assert.Equal(["score_mid"], intermediate.GetProperty("matchedRules").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Evaluate_RunsAnIntermediateDecision_WhenNamedInTheBodyOrTheQuery()
    {
        using var owner = await ClientAsync(Roles.Owner);
        var (key, _) = await ImportLeadModelAsync(owner);

        using var byBody = await EvaluateAsync(owner, key, """{"Lead": {"employees": 900, "country": "FR"}}""", decision: "Lead score");
        using var byQuery = await EvaluateAsync(owner, key, """{"Lead": {"employees": 3, "country": "FR"}}""", query: "?decision=Lead%20score");

        var body = await OkAsync(byBody);
        Assert.Equal(90m, body.GetProperty("result").GetDecimal());
        Assert.Equal("Lead score", body.GetProperty("decision").GetString());
        Assert.Empty(body.GetProperty("intermediates").EnumerateArray());
        Assert.Equal(10m, (await OkAsync(byQuery)).GetProperty("result").GetDecimal());
    }

    [Fact]
    public async Task Evaluate_Returns404ListingTheModelsDecisions_WhenTheDecisionIsUnknown()
    {
        using var owner = await ClientAsync(Roles.Owner);
        var (key, routing) = await ImportLeadModelAsync(owner);

        using var response = await EvaluateAsync(owner, key, """{"Lead": {"employees": 1, "country": "DE"}}""", decision: "Lead scoring");

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(["Lead score", routing], problem.GetProperty("decisions").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains("'Lead scoring'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_Returns400NamingThePath_WhenAStructuredInputHasTheWrongType()
    {
        using var owner = await ClientAsync(Roles.Owner);
        var (key, _) = await ImportLeadModelAsync(owner);

        using var response = await EvaluateAsync(owner, key, """{"Lead": {"employees": "many", "country": "DE"}}""");

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        var error = problem.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal("Lead", error.GetProperty("input").GetString());
        Assert.Equal("Lead.employees", error.GetProperty("path").GetString());
        Assert.Contains("Lead.employees", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ReturnsTheGraph_WithTheMainDecision()
    {
        using var owner = await ClientAsync(Roles.Owner);
        var (key, routing) = await ImportLeadModelAsync(owner);

        var body = await OkAsync(await owner.GetAsync($"/api/v1/decisions/{key}"));

        Assert.Equal(routing, body.GetProperty("mainDecision").GetString());
        var graph = body.GetProperty("graph");
        Assert.Equal([("Lead", "InputData"), ("Lead score", "Decision"), (routing, "Decision")],
            graph.GetProperty("nodes").EnumerateArray().Select(n => (n.GetProperty("name").GetString(), n.GetProperty("kind").GetString())));
        Assert.Contains(graph.GetProperty("edges").EnumerateArray(), e =>
            e.GetProperty("from").GetString() == "Lead score" && e.GetProperty("to").GetString() == routing && e.GetProperty("kind").GetString() == "Information");
        Assert.Equal(2, body.GetProperty("model").GetProperty("decisions").GetArrayLength());
    }

    [Fact]
    public async Task SaveDraft_Returns400NamingTheCycle_AndKeepsTheDraft()
    {
        using var owner = await ClientAsync(Roles.Owner);
        var catalog = host.Services.GetRequiredService<DecisionCatalog>();
        var name = "Total " + Guid.NewGuid().ToString("N")[..6];
        var model = new DmnModel
        {
            Name = name,
            InputData = [new InputData { Name = "x", TypeRef = FeelType.Number }],
            Decisions =
            [
                new LiteralExpressionDecision { Name = name, Expression = "Base + 1" },
                new LiteralExpressionDecision { Name = "Base", Expression = "x * 2" },
            ],
        };
        var created = await catalog.CreateAsync(model, "test");
        var cyclic = model with
        {
            Decisions = [model.Decisions[0], new LiteralExpressionDecision { Name = "Base", Expression = $"{name} * 2" }],
        };

        using var response = await owner.PutAsJsonAsync($"/api/v1/decisions/{created.Decision.Key}",
            new { model = cyclic, revision = created.Version.Revision }, DecisionJson.Options);

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains($"{name} → Base → {name}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("x * 2", ((LiteralExpressionDecision)(await catalog.LoadAsync(created.Decision.Key))!.Model.Decisions[1]).Expression);
    }
}
