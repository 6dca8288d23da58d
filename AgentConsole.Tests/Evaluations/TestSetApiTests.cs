using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Evaluations;

/// <summary>
/// The test-set API over real HTTP: sets and cases with field errors as problem+json, import with line-numbered errors,
/// export as a download, a case drafted from a run (409 once purged), 404s, Managers read, Reviewers get 403.
/// </summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class TestSetApiTests(ConsoleHostFixture host) : IDisposable
{
    private static readonly int[] OneNumber = [1];
    private static readonly string[] Rockets = ["launch_rockets"];
    private static readonly string[] EmptyText = [""];
    private readonly List<HttpClient> _clients = [];

    public void Dispose() => _clients.ForEach(c => c.Dispose());

    private async Task<HttpClient> ClientAsync(string role)
    {
        var created = await host.Services.GetRequiredService<ApiKeyService>().CreateAsync($"test-sets-{role.ToLowerInvariant()}-{Guid.NewGuid():N}", role, "tests");
        var client = host.CreateClient(created.Secret);
        _clients.Add(client);
        return client;
    }

    private static async Task<Guid> CreateSetAsync(HttpClient owner)
    {
        using var created = await owner.PostAsJsonAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/test-sets", new { name = $"API {Guid.NewGuid():N}"[..24] });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static object SmbCase(string name, int employees = 5) => new
    {
        name,
        kind = "Edge",
        input = new { name = "Ada", email = "ada@x.example", company = "X", employees },
        expectedDecisions = new Dictionary<string, string> { ["lead-routing"] = "SMB sequence" },
        mustCall = new[] { "crm_find_company" },
        mustEscalate = false,
        outputContains = new[] { "SMB sequence" },
    };

    [Fact]
    public async Task SetsAndCases_CreateReadUpdateDelete_AsOwner_WithFieldErrorsAsProblemJson()
    {
        var owner = await ClientAsync(Roles.Owner);
        var sets = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/test-sets");
        var demo = sets.EnumerateArray().First();
        Assert.True(demo.GetProperty("isDefault").GetBoolean());
        Assert.True(demo.GetProperty("cases").GetInt32() >= 50);

        var id = await CreateSetAsync(owner);
        using var added = await owner.PostAsJsonAsync($"/api/v1/test-sets/{id}/cases", SmbCase("Five employees"));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var caseId = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/test-sets/{id}/cases/{caseId}", added.Headers.Location?.OriginalString);

        using var updated = await owner.PutAsJsonAsync($"/api/v1/test-sets/{id}/cases/{caseId}", SmbCase("Six employees", 6));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var detail = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/test-sets/{id}?kind=edge&limit=10");
        var only = Assert.Single(detail.GetProperty("cases").EnumerateArray());
        Assert.Equal(("Six employees", 6, "Edge"), (only.GetProperty("name").GetString(), only.GetProperty("input").GetProperty("employees").GetInt32(),
            only.GetProperty("kind").GetString()));
        Assert.Equal(1, detail.GetProperty("total").GetInt32());

        using var bad = await owner.PostAsJsonAsync($"/api/v1/test-sets/{id}/cases", new
        {
            name = "Six employees",
            input = OneNumber,
            mustCall = Rockets,
            outputContains = EmptyText,
        });
        var problem = await ProblemJson.ReadAsync(bad, HttpStatusCode.BadRequest);
        Assert.Equal(["case.input", "case.mustCall", "case.name", "case.outputContains"], problem.ErrorFields());

        using var nothing = await owner.PostAsJsonAsync($"/api/v1/test-sets/{id}/cases", new { name = "Nothing", input = new { employees = 1 } });
        Assert.Equal(["case.expectations"], (await ProblemJson.ReadAsync(nothing, HttpStatusCode.BadRequest)).ErrorFields());
        using var badKind = await owner.PostAsJsonAsync($"/api/v1/test-sets/{id}/cases", new { name = "K", kind = "Nightmare", input = new { }, mustEscalate = true });
        Assert.Equal(["case.kind"], (await ProblemJson.ReadAsync(badKind, HttpStatusCode.BadRequest)).ErrorFields());

        using var renamed = await owner.PutAsJsonAsync($"/api/v1/test-sets/{id}", new { name = "" });
        Assert.Equal(["set.name"], (await ProblemJson.ReadAsync(renamed, HttpStatusCode.BadRequest)).ErrorFields());
        using var defaultDelete = await owner.DeleteAsync($"/api/v1/test-sets/{demo.GetProperty("id").GetGuid()}");
        await ProblemJson.ReadAsync(defaultDelete, HttpStatusCode.Conflict);

        using (var deleted = await owner.DeleteAsync($"/api/v1/test-sets/{id}/cases/{caseId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var gone = await owner.GetAsync($"/api/v1/test-sets/{id}/cases/{caseId}");
        await ProblemJson.ReadAsync(gone, HttpStatusCode.NotFound);
        using var deletedSet = await owner.DeleteAsync($"/api/v1/test-sets/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deletedSet.StatusCode);
    }

    [Fact]
    public async Task UnknownAgentSetOrCase_Answers404ProblemJson()
    {
        var owner = await ClientAsync(Roles.Owner);
        var id = await CreateSetAsync(owner);

        foreach (var (method, url) in new[]
        {
            ("GET", "/api/v1/agents/no-such-agent/test-sets"),
            ("POST", "/api/v1/agents/no-such-agent/test-sets"),
            ("GET", $"/api/v1/test-sets/{Guid.NewGuid()}"),
            ("POST", $"/api/v1/test-sets/{Guid.NewGuid()}/cases"),
            ("PUT", $"/api/v1/test-sets/{id}/cases/{Guid.NewGuid()}"),
            ("DELETE", $"/api/v1/test-sets/{id}/cases/{Guid.NewGuid()}"),
            ("GET", $"/api/v1/test-sets/{Guid.NewGuid()}/export?format=csv"),
            ("POST", $"/api/v1/test-sets/{Guid.NewGuid()}/import?format=jsonl"),
            ("GET", $"/api/v1/runs/{Guid.NewGuid()}/test-case"),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method is "POST" or "PUT")
            {
                request.Content = url.EndsWith("jsonl", StringComparison.Ordinal)
                    ? new StringContent("{\"name\":\"a\",\"input\":{},\"mustEscalate\":true}\n", Encoding.UTF8, "application/jsonl")
                    : JsonContent.Create(url.Contains("agents", StringComparison.Ordinal) ? new { name = "x" } : SmbCase("x"));
            }

            using var response = await owner.SendAsync(request);
            await ProblemJson.ReadAsync(response, HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Import_ReportsErrorsByLine_AndImportsNothing_ThenExportGivesTheFileBack()
    {
        var owner = await ClientAsync(Roles.Owner);
        var id = await CreateSetAsync(owner);
        const string broken = "name,kind,input,mustEscalate\r\nGood,Edge,\"{\"\"employees\"\":5}\",false\r\nBad,Edge,\"{\"\"employees\"\":\",false\r\nEmpty,,\"{\"\"employees\"\":6}\",\r\n";

        using var refused = await owner.PostAsync($"/api/v1/test-sets/{id}/import?format=csv", new StringContent(broken, Encoding.UTF8, "text/csv"));
        var problem = await ProblemJson.ReadAsync(refused, HttpStatusCode.BadRequest);
        var lines = problem.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("line").GetInt32()).ToList();
        Assert.Equal([3, 4], lines);
        Assert.Contains("Line 3:", problem.Detail(), StringComparison.Ordinal);
        Assert.Equal(0, (await owner.GetFromJsonAsync<JsonElement>($"/api/v1/test-sets/{id}")).GetProperty("total").GetInt32());

        using var unknownFormat = await owner.PostAsync($"/api/v1/test-sets/{id}/import?format=xlsx", new StringContent("x"));
        await ProblemJson.ReadAsync(unknownFormat, HttpStatusCode.BadRequest);

        const string good = "name,kind,input,mustEscalate\r\nGood,Edge,\"{\"\"employees\"\":5}\",false\r\nLarge,Synthetic,\"{\"\"employees\"\":900}\",true\r\n";
        using var imported = await owner.PostAsync($"/api/v1/test-sets/{id}/import?format=csv", new StringContent(good, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var result = await imported.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((2, 0), (result.GetProperty("added").GetInt32(), result.GetProperty("updated").GetInt32()));

        using var export = await owner.GetAsync($"/api/v1/test-sets/{id}/export?format=jsonl");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/jsonl", export.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".jsonl", export.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var jsonl = await export.Content.ReadAsStringAsync();
        using var again = await owner.PostAsync($"/api/v1/test-sets/{id}/import?format=jsonl", new StringContent(jsonl, Encoding.UTF8, "application/jsonl"));
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 2), (second.GetProperty("added").GetInt32(), second.GetProperty("updated").GetInt32()));
        using var csv = await owner.GetAsync($"/api/v1/test-sets/{id}/export?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("name,kind,input,expectedDecisions,", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DraftFromRun_OffersThePrefilledCase_AndRefusesAPurgedRun()
    {
        var owner = await ClientAsync(Roles.Owner);
        var factory = host.Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>();
        var run = Run.Create(DemoWorkspace.LeadRouterKey, "Inbound lead router", DemoWorkspace.RoutineLeads[2].ToJsonString(), "tests", DateTimeOffset.UtcNow);
        run.RecordFacts("{\"lead-routing\":\"Mid-market sequence\"}");
        var purged = Run.Create(DemoWorkspace.LeadRouterKey, "Inbound lead router", "{}", "tests", DateTimeOffset.UtcNow);
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Runs.AddRange(run, purged);
            await db.SaveChangesAsync();
            await db.Runs.Where(r => r.Id == purged.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.RawDataPurgedAt, DateTimeOffset.UtcNow));
        }

        var draft = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{run.Id}/test-case");
        var testCase = draft.GetProperty("case");
        Assert.Equal(DemoWorkspace.LeadRouterKey, draft.GetProperty("agent").GetString());
        Assert.Equal(("Historical", "Mid-market sequence", false, 480), (testCase.GetProperty("kind").GetString(),
            testCase.GetProperty("expectedDecisions").GetProperty("lead-routing").GetString(), testCase.GetProperty("mustEscalate").GetBoolean(),
            testCase.GetProperty("input").GetProperty("employees").GetInt32()));
        using var saved = await owner.PostAsJsonAsync($"/api/v1/test-sets/{draft.GetProperty("defaultTestSet").GetGuid()}/cases", testCase);
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);

        using var refused = await owner.GetAsync($"/api/v1/runs/{purged.Id}/test-case");
        Assert.Contains("run-data retention", (await ProblemJson.ReadAsync(refused, HttpStatusCode.Conflict)).Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_ManagerReadsButDoesNotEdit_ReviewerGets403()
    {
        var owner = await ClientAsync(Roles.Owner);
        var manager = await ClientAsync(Roles.Manager);
        var reviewer = await ClientAsync(Roles.Reviewer);
        var id = await CreateSetAsync(owner);

        using (var read = await manager.GetAsync($"/api/v1/test-sets/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using (var edit = await manager.PostAsJsonAsync($"/api/v1/test-sets/{id}/cases", SmbCase("Manager case")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        }

        foreach (var (method, url) in new[]
        {
            ("GET", $"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/test-sets"), ("POST", $"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/test-sets"),
            ("GET", $"/api/v1/test-sets/{id}"), ("POST", $"/api/v1/test-sets/{id}/cases"), ("POST", $"/api/v1/test-sets/{id}/import?format=csv"),
            ("GET", $"/api/v1/test-sets/{id}/export?format=csv"), ("GET", $"/api/v1/runs/{Guid.NewGuid()}/test-case"),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = method == "POST" ? JsonContent.Create(SmbCase("Reviewer case")) : null };
            using var response = await reviewer.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {url} answered {(int)response.StatusCode} to a Reviewer");
        }
    }
}
