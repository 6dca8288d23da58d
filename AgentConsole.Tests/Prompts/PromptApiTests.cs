using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Tools;
using AgentConsole.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Prompts;

/// <summary>
/// The prompt API over the real host: versions, drafts, lint, publish through the gate (409 naming the evaluation),
/// the Admin override, rollback, diff, and the roles (Owners edit, Managers read, Reviewers get 403).
/// </summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class PromptApiTests(ConsoleHostFixture host) : IDisposable
{
    private readonly List<HttpClient> _clients = [];

    public void Dispose() => _clients.ForEach(c => c.Dispose());

    private async Task<HttpClient> ClientAsync(string role)
    {
        var created = await host.Services.GetRequiredService<ApiKeyService>().CreateAsync($"prompts-{role.ToLowerInvariant()}-{Guid.NewGuid():N}", role, "tests");
        var client = host.CreateClient(created.Secret);
        _clients.Add(client);
        return client;
    }

    /// <summary>An agent of this test's own, granted one tool, so no other test's versions mix in.</summary>
    private async Task<string> AgentAsync()
    {
        var key = $"prompt-api-{Guid.NewGuid():N}"[..24];
        var result = await host.Services.GetRequiredService<AgentCatalog>().CreateAsync(new AgentDefinition
        {
            Key = key,
            Name = "Prompt API agent",
            Tools = [new ToolGrant { Tool = "crm_find_company", Scope = ToolScope.Read }],
        }, "tests");
        Assert.Equal(AgentSaveOutcome.Saved, result.Outcome);
        return key;
    }

    private static object Sections(string role = "You route inbound leads.") => new
    {
        role,
        tools = "Look the company up with crm_find_company.",
        boundaries = "Escalate anything unclear to a reviewer.",
        commonPath = "1. Read the lead.",
        edgeCases = "- none yet",
        prohibitions = "- promise prices",
    };

    private static async Task<(Guid Id, JsonElement Body)> CreateAsync(HttpClient client, string key, object body)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/agents/{key}/prompts", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = json.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/prompts/{id}", response.Headers.Location?.OriginalString);
        return (id, json);
    }

    private async Task CompletedEvaluationAsync(Guid promptId, int number, string key, int passed, int total = 20)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync();
        db.Evaluations.Add(new Evaluation
        {
            Id = Guid.NewGuid(), AgentKey = key, Kind = EvaluationKind.TestSet, Status = EvaluationStatus.Completed,
            PromptVersionId = promptId, PromptVersionNumber = number, Total = total, Completed = total, Passed = passed, Failed = total - passed,
            CreatedAt = DateTimeOffset.UtcNow, CompletedAt = DateTimeOffset.UtcNow, CreatedBy = "tests",
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task CreateListGetSave_AsOwner_WithLintAndRevisions()
    {
        var owner = await ClientAsync(Roles.Owner);
        var key = await AgentAsync();

        var (id, created) = await CreateAsync(owner, key, new { sections = Sections(), note = "First cut" });
        Assert.Equal(("Draft", 1, "First cut"), (created.GetProperty("status").GetString(), created.GetProperty("number").GetInt32(), created.GetProperty("note").GetString()));
        Assert.StartsWith("# Prompt API agent", created.GetProperty("text").GetString(), StringComparison.Ordinal);

        var list = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/agents/{key}/prompts");
        var row = Assert.Single(list.EnumerateArray());
        Assert.Equal(id, row.GetProperty("id").GetGuid());
        Assert.True(row.GetProperty("lint").GetProperty("warnings").GetInt32() > 0);

        using var get = await owner.GetAsync($"/api/v1/prompts/{id}");
        Assert.Equal("\"1\"", get.Headers.ETag?.Tag);
        var detail = await get.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(detail.GetProperty("lint").GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "prohibitions-count");

        using var saved = await owner.PutAsJsonAsync($"/api/v1/prompts/{id}", new { sections = Sections("Edited role."), revision = 1 });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(2, (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt32());

        using var stale = await owner.PutAsJsonAsync($"/api/v1/prompts/{id}", new { sections = Sections("Someone else's edit."), revision = 1 });
        var conflict = await ProblemJson.ReadAsync(stale, HttpStatusCode.Conflict);
        Assert.Contains("after you opened it", conflict.Detail(), StringComparison.Ordinal);

        var lint = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/prompts/{id}/lint");
        Assert.True(lint.GetProperty("words").GetInt32() > 0);
        Assert.True(lint.GetProperty("summary").GetProperty("warnings").GetInt32() > 0);
    }

    [Fact]
    public async Task Save_HonoursIfMatch_AndRefusesAPublishedVersion()
    {
        var admin = await ClientAsync(Roles.Admin);
        var key = await AgentAsync();
        var (id, _) = await CreateAsync(admin, key, new { sections = Sections() });

        using var staleRequest = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/prompts/{id}") { Content = JsonContent.Create(new { sections = Sections("x") }) };
        staleRequest.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"7\""));
        using var stale = await admin.SendAsync(staleRequest);
        await ProblemJson.ReadAsync(stale, HttpStatusCode.Conflict);

        using var published = await admin.PostAsJsonAsync($"/api/v1/prompts/{id}/publish", new { overrideReason = "Test of a published version." });
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        using var edit = await admin.PutAsJsonAsync($"/api/v1/prompts/{id}", new { sections = Sections("After publishing") });
        var problem = await ProblemJson.ReadAsync(edit, HttpStatusCode.Conflict);
        Assert.Contains("only drafts can be edited", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Returns400_ForBadSectionsJson_AndOversizedSections()
    {
        var owner = await ClientAsync(Roles.Owner);
        var key = await AgentAsync();

        using var malformed = await owner.PostAsync($"/api/v1/agents/{key}/prompts", new StringContent("{\"sections\": {\"role\": 5}}", Encoding.UTF8, "application/json"));
        await ProblemJson.ReadAsync(malformed, HttpStatusCode.BadRequest);

        using var missing = await owner.PostAsJsonAsync($"/api/v1/agents/{key}/prompts", new { note = "no sections" });
        Assert.Equal(["sections"], (await ProblemJson.ReadAsync(missing, HttpStatusCode.BadRequest)).ErrorFields());

        using var huge = await owner.PostAsJsonAsync($"/api/v1/agents/{key}/prompts", new { sections = new { role = new string('x', 20_001) } });
        var problem = await ProblemJson.ReadAsync(huge, HttpStatusCode.BadRequest);
        Assert.Equal(["sections.role"], problem.ErrorFields());
        Assert.Contains("20,000", problem.GetProperty("errors").GetProperty("sections.role")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty((await owner.GetFromJsonAsync<JsonElement>($"/api/v1/agents/{key}/prompts")).EnumerateArray());
    }

    [Fact]
    public async Task Publish_Returns409NamingTheEvaluation_UntilTheGateIsMet()
    {
        var owner = await ClientAsync(Roles.Owner);
        var key = await AgentAsync();
        var (id, _) = await CreateAsync(owner, key, new { sections = Sections() });

        using var none = await owner.PostAsync($"/api/v1/prompts/{id}/publish", null);
        var missing = await ProblemJson.ReadAsync(none, HttpStatusCode.Conflict);
        Assert.Contains("No completed evaluation of prompt v1", missing.Detail(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, missing.GetProperty("evaluationId").ValueKind);

        await CompletedEvaluationAsync(id, 1, key, passed: 15);
        using var low = await owner.PostAsync($"/api/v1/prompts/{id}/publish", null);
        var failing = await ProblemJson.ReadAsync(low, HttpStatusCode.Conflict);
        Assert.Equal(0.75, failing.GetProperty("passRate").GetDouble());
        Assert.Equal(0.95, failing.GetProperty("threshold").GetDouble());
        Assert.Contains(failing.GetProperty("evaluationId").GetGuid().ToString(), failing.Detail(), StringComparison.Ordinal);

        using var forbidden = await owner.PostAsJsonAsync($"/api/v1/prompts/{id}/publish", new { overrideReason = "Owners cannot override." });
        await ProblemJson.ReadAsync(forbidden, HttpStatusCode.Forbidden);

        await CompletedEvaluationAsync(id, 1, key, passed: 20);
        using var passed = await owner.PostAsync($"/api/v1/prompts/{id}/publish", null);
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        Assert.Equal("Published", (await passed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Publish_ByAdminOverride_StoresTheReason_ThenRollbackRestoresTheEarlierVersion()
    {
        var admin = await ClientAsync(Roles.Admin);
        var key = await AgentAsync();
        var (v1, _) = await CreateAsync(admin, key, new { sections = Sections("Version one") });
        using (var first = await admin.PostAsJsonAsync($"/api/v1/prompts/{v1}/publish", new { overrideReason = "Bootstrap: no test set yet." }))
        {
            Assert.Equal("Bootstrap: no test set yet.", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("gateOverrideReason").GetString());
        }

        var (v2, copy) = await CreateAsync(admin, key, new { from = 1 });
        Assert.Equal("Version one", copy.GetProperty("sections").GetProperty("role").GetString());
        using (var second = await admin.PostAsJsonAsync($"/api/v1/prompts/{v2}/publish", new { overrideReason = "Hotfix." }))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        using var rollback = await admin.PostAsync($"/api/v1/prompts/{v1}/rollback", null);
        Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        var versions = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/agents/{key}/prompts");
        Assert.Equal(["Retired", "Published"], versions.EnumerateArray().Select(v => v.GetProperty("status").GetString()));

        using var again = await admin.PostAsync($"/api/v1/prompts/{v1}/rollback", null);
        await ProblemJson.ReadAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Diff_ComparesTwoVersionsPerSection()
    {
        var owner = await ClientAsync(Roles.Owner);
        var key = await AgentAsync();
        await CreateAsync(owner, key, new { sections = Sections("Line one\nLine two") });
        await CreateAsync(owner, key, new { sections = Sections("Line one\nLine 2") });

        var diff = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/agents/{key}/prompts/diff?from=1&to=2");

        var role = Assert.Single(diff.GetProperty("sections").EnumerateArray(), s => s.GetProperty("changed").GetBoolean());
        Assert.Equal(("role", 1, 1), (role.GetProperty("key").GetString(), role.GetProperty("added").GetInt32(), role.GetProperty("removed").GetInt32()));

        using var badQuery = await owner.GetAsync($"/api/v1/agents/{key}/prompts/diff?from=1");
        await ProblemJson.ReadAsync(badQuery, HttpStatusCode.BadRequest);
        using var noVersion = await owner.GetAsync($"/api/v1/agents/{key}/prompts/diff?from=1&to=9");
        await ProblemJson.ReadAsync(noVersion, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UnknownAgentsAndVersions_Return404()
    {
        var owner = await ClientAsync(Roles.Owner);

        using var list = await owner.GetAsync("/api/v1/agents/no-such-agent/prompts");
        Assert.Equal("Agent not found", (await ProblemJson.ReadAsync(list, HttpStatusCode.NotFound)).GetProperty("title").GetString());
        using var create = await owner.PostAsJsonAsync("/api/v1/agents/no-such-agent/prompts", new { sections = Sections() });
        await ProblemJson.ReadAsync(create, HttpStatusCode.NotFound);
        var unknown = Guid.NewGuid();
        foreach (var path in new[] { $"/api/v1/prompts/{unknown}", $"/api/v1/prompts/{unknown}/lint" })
        {
            using var response = await owner.GetAsync(path);
            await ProblemJson.ReadAsync(response, HttpStatusCode.NotFound);
        }

        using var publish = await owner.PostAsync($"/api/v1/prompts/{unknown}/publish", null);
        await ProblemJson.ReadAsync(publish, HttpStatusCode.NotFound);
        using var rollback = await owner.PostAsync($"/api/v1/prompts/{unknown}/rollback", null);
        await ProblemJson.ReadAsync(rollback, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Roles_ManagersRead_ReviewersAreRefused()
    {
        var owner = await ClientAsync(Roles.Owner);
        var manager = await ClientAsync(Roles.Manager);
        var reviewer = await ClientAsync(Roles.Reviewer);
        var key = await AgentAsync();
        var (id, _) = await CreateAsync(owner, key, new { sections = Sections() });

        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/v1/agents/{key}/prompts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/v1/prompts/{id}")).StatusCode);
        using var managerCreate = await manager.PostAsJsonAsync($"/api/v1/agents/{key}/prompts", new { sections = Sections() });
        await ProblemJson.ReadAsync(managerCreate, HttpStatusCode.Forbidden);
        using var managerPublish = await manager.PostAsync($"/api/v1/prompts/{id}/publish", null);
        await ProblemJson.ReadAsync(managerPublish, HttpStatusCode.Forbidden);

        using var reviewerList = await reviewer.GetAsync($"/api/v1/agents/{key}/prompts");
        await ProblemJson.ReadAsync(reviewerList, HttpStatusCode.Forbidden);
        using var reviewerGet = await reviewer.GetAsync($"/api/v1/prompts/{id}/lint");
        await ProblemJson.ReadAsync(reviewerGet, HttpStatusCode.Forbidden);
        using var reviewerSave = await reviewer.PutAsJsonAsync($"/api/v1/prompts/{id}", new { sections = Sections() });
        await ProblemJson.ReadAsync(reviewerSave, HttpStatusCode.Forbidden);
    }
}
