using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Triggers;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Triggers;

[Collection(ConsoleHostGroup.Name)]
public sealed class TriggerApiTests(ConsoleHostFixture host) : IDisposable
{
    private const string Triggers = "/api/v1/triggers";
    private readonly HttpClient _client = host.CreateClient(ConsoleHostFixture.AdminApiKey);

    public void Dispose() => _client.Dispose();

    /// <summary>An agent of the test's own, so trigger counts and runs never mix with other tests.</summary>
    private async Task<string> NewAgentAsync()
    {
        var key = "trg-" + Guid.NewGuid().ToString("N")[..10];
        using var response = await _client.PostAsJsonAsync("/api/v1/agents", new JsonObject
        {
            ["key"] = key,
            ["name"] = "Trigger test agent",
            ["inputFields"] = new JsonArray(
                new JsonObject { ["name"] = "email", ["type"] = "Text", ["required"] = true },
                new JsonObject { ["name"] = "source", ["type"] = "Text" },
                new JsonObject { ["name"] = "employees", ["type"] = "Number" }),
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return key;
    }

    private static JsonObject Webhook(string name, JsonObject? filter = null) => new()
    {
        ["kind"] = "webhook",
        ["name"] = name,
        ["settings"] = new JsonObject { ["auth"] = "hmac" },
        ["filter"] = filter,
    };

    private static JsonObject WebsiteFilter() => new()
    {
        ["match"] = "All",
        ["conditions"] = new JsonArray(new JsonObject { ["path"] = "source", ["test"] = "\"website\"" }),
    };

    private async Task<JsonElement> CreateAsync(string agent, JsonObject body)
    {
        using var response = await _client.PostAsJsonAsync($"/api/v1/agents/{agent}/triggers", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<string> KeyForAsync(string role) =>
        (await host.Services.GetRequiredService<ApiKeyService>().CreateAsync($"trigger-test-{role}-{Guid.NewGuid():N}", role, "test")).Secret;

    private Task ReceiveAsync(string key, params JsonObject[] payloads) => TriggerInboxDriver.DeliverAsync(host.Services, key, "test", payloads);

    [Fact]
    public async Task CreateTrigger_Returns201WithUrlAndSecretOnce_AndReadsNeverShowTheSecret()
    {
        var agent = await NewAgentAsync();

        using var response = await _client.PostAsJsonAsync($"/api/v1/agents/{agent}/triggers", Webhook("Contact hook", WebsiteFilter()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var key = created.GetProperty("key").GetString()!;
        Assert.Equal($"{agent}-contact-hook", key);
        Assert.Equal($"{Triggers}/{key}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal(new Uri(host.BaseAddress, $"/hooks/{key}").ToString(), created.GetProperty("url").GetString());
        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith(TriggerSecrets.SecretPrefix, secret, StringComparison.Ordinal);
        var trigger = created.GetProperty("trigger");
        Assert.Equal("Webhook", trigger.GetProperty("kind").GetString());
        Assert.Equal(agent, trigger.GetProperty("agent").GetString());
        Assert.Equal(["signing"], trigger.GetProperty("secretNames").EnumerateArray().Select(n => n.GetString()));
        Assert.True(trigger.GetProperty("healthy").GetBoolean());
        Assert.Equal(0, trigger.GetProperty("consecutiveFailures").GetInt32());

        using var read = await _client.GetAsync($"{Triggers}/{key}");
        var text = await read.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        var stored = JsonDocument.Parse(text).RootElement;
        Assert.Equal("\"website\"", stored.GetProperty("filter").GetProperty("conditions")[0].GetProperty("test").GetString());

        using var list = await _client.GetAsync($"/api/v1/agents/{agent}/triggers");
        var listed = await list.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.Equal([key], JsonDocument.Parse(listed).RootElement.EnumerateArray().Select(t => t.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task CreateTrigger_ReturnsFormUrlAndNoSecret_ForAKindWithoutSigningSecret()
    {
        var agent = await NewAgentAsync();
        var catalog = host.Services.GetRequiredService<TriggerCatalog>();
        if (catalog.Handler(TriggerKind.Form) is null)
        {
            // The form kind lands on another branch; without its handler the API must refuse the kind clearly.
            using var refused = await _client.PostAsJsonAsync($"/api/v1/agents/{agent}/triggers", new JsonObject { ["kind"] = "form", ["name"] = "Contact" });
            Assert.Contains("kind", (await ProblemJson.ReadAsync(refused, HttpStatusCode.BadRequest)).ErrorFields());
            return;
        }

        var created = await CreateAsync(agent, new JsonObject
        {
            ["kind"] = "form",
            ["name"] = "Contact",
            ["settings"] = new JsonObject
            {
                ["title"] = "Contact us",
                ["fields"] = new JsonArray(new JsonObject { ["name"] = "email", ["label"] = "E-mail", ["type"] = "email", ["required"] = true }),
            },
        });

        Assert.EndsWith($"/forms/{created.GetProperty("key").GetString()}", created.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("secret").ValueKind);
    }

    [Theory]
    [InlineData("""{"kind":"carrier-pigeon","name":"x"}""", "kind")]
    [InlineData("""{"kind":"webhook","name":""}""", "name")]
    [InlineData("""{"kind":"webhook","name":"x","filter":{"match":"All","conditions":[{"path":"source","test":"> > 3"}]}}""", "filter.conditions[0].test")]
    [InlineData("""{"kind":"webhook","name":"x","filter":{"match":"Any","conditions":[],"groups":[{"match":"All","conditions":[{"path":"industry","test":"Retail"}]}]}}""", "filter.groups[0].conditions[0].test")]
    [InlineData("""{"kind":"webhook","name":"x","mapping":{"nope":"email"}}""", "mapping.nope")]
    [InlineData("""{"kind":"webhook","name":"x","settings":{"auth":"basic"}}""", "settings.auth")]
    [InlineData("""{"kind":"webhook","name":"x","secrets":{"password":"p"}}""", "secrets.password")]
    [InlineData("""{"kind":"webhook","name":"x","dedupWindowMinutes":0}""", "dedupWindowMinutes")]
    public async Task CreateTrigger_Returns400WithErrorsKeyedWhereTheyAre_WhenTheDefinitionIsInvalid(string body, string field)
    {
        var agent = await NewAgentAsync();

        using var response = await _client.PostAsync($"/api/v1/agents/{agent}/triggers", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorFields());
        using var list = await _client.GetAsync($"/api/v1/agents/{agent}/triggers");
        Assert.Equal(0, (await list.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
    }

    [Theory]
    [InlineData("""{"kind":"webhook","name":""")]
    [InlineData("""{"kind":"webhook","name":"x","filter":{"match":"Sometimes","conditions":[]}}""")]
    [InlineData("""[1,2]""")]
    public async Task CreateTrigger_Returns400Problem_WhenTheBodyIsMalformed(string body)
    {
        var agent = await NewAgentAsync();

        using var response = await _client.PostAsync($"/api/v1/agents/{agent}/triggers", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("JSON", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TriggerEndpoints_Return404Problems_ForUnknownAgentsTriggersAndEvents()
    {
        var agent = await NewAgentAsync();
        var key = (await CreateAsync(agent, Webhook("Known"))).GetProperty("key").GetString();

        (HttpMethod Method, string Path)[] calls =
        [
            (HttpMethod.Get, "/api/v1/agents/no-such-agent/triggers"),
            (HttpMethod.Post, "/api/v1/agents/no-such-agent/triggers"),
            (HttpMethod.Get, $"{Triggers}/no-such-trigger"),
            (HttpMethod.Put, $"{Triggers}/no-such-trigger"),
            (HttpMethod.Delete, $"{Triggers}/no-such-trigger"),
            (HttpMethod.Post, $"{Triggers}/no-such-trigger/rotate-secret"),
            (HttpMethod.Get, $"{Triggers}/no-such-trigger/stats"),
            (HttpMethod.Get, $"{Triggers}/no-such-trigger/events"),
            (HttpMethod.Post, $"{Triggers}/no-such-trigger/test"),
            (HttpMethod.Get, $"{Triggers}/{key}/events/{Guid.NewGuid()}"),
        ];
        foreach (var (method, path) in calls)
        {
            using var request = new HttpRequestMessage(method, path);
            if (method == HttpMethod.Post || method == HttpMethod.Put)
            {
                request.Content = JsonContent.Create(Webhook("Whatever"));
            }

            using var response = await _client.SendAsync(request);
            var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.NotFound);
            Assert.False(string.IsNullOrEmpty(problem.Detail()), $"{method} {path}");
        }
    }

    [Fact]
    public async Task UpdateTrigger_Returns412_WhenIfMatchNamesAnOlderRevision_AndSavesWithTheCurrentOne()
    {
        var agent = await NewAgentAsync();
        var key = (await CreateAsync(agent, Webhook("Edited"))).GetProperty("key").GetString();
        var change = Webhook("Edited again", WebsiteFilter());
        change.Remove("kind");
        change["mapping"] = new JsonObject { ["email"] = "contact.email" };

        using var current = new HttpRequestMessage(HttpMethod.Put, $"{Triggers}/{key}") { Content = JsonContent.Create(change) };
        current.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        using var saved = await _client.SendAsync(current);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("\"2\"", saved.Headers.ETag?.Tag);
        var body = await saved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Edited again", body.GetProperty("name").GetString());
        Assert.Equal("contact.email", body.GetProperty("mapping").GetProperty("email").GetString());

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"{Triggers}/{key}") { Content = JsonContent.Create(Webhook("Lost update")) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        using var refused = await _client.SendAsync(stale);
        var problem = await ProblemJson.ReadAsync(refused, HttpStatusCode.PreconditionFailed);
        Assert.Contains("revision 2", problem.Detail(), StringComparison.Ordinal);

        using var staleDelete = new HttpRequestMessage(HttpMethod.Delete, $"{Triggers}/{key}");
        staleDelete.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        using var deleteRefused = await _client.SendAsync(staleDelete);
        await ProblemJson.ReadAsync(deleteRefused, HttpStatusCode.PreconditionFailed);

        using var badHeader = new HttpRequestMessage(HttpMethod.Put, $"{Triggers}/{key}") { Content = JsonContent.Create(Webhook("x")) };
        badHeader.Headers.TryAddWithoutValidation("If-Match", "yesterday");
        using var badHeaderResponse = await _client.SendAsync(badHeader);
        await ProblemJson.ReadAsync(badHeaderResponse, HttpStatusCode.BadRequest);

        using var read = await _client.GetAsync($"{Triggers}/{key}");
        Assert.Equal("Edited again", (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task UpdateTrigger_Returns400_WhenTheKindChanges()
    {
        var agent = await NewAgentAsync();
        var key = (await CreateAsync(agent, Webhook("Stays a webhook"))).GetProperty("key").GetString();
        var change = Webhook("Stays a webhook");
        change["kind"] = "schedule";

        using var response = await _client.PutAsJsonAsync($"{Triggers}/{key}", change);

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("kind", problem.ErrorFields());
    }

    [Fact]
    public async Task DeleteTrigger_Returns204_AndTheTriggerIsGone()
    {
        var agent = await NewAgentAsync();
        var key = (await CreateAsync(agent, Webhook("Short lived"))).GetProperty("key").GetString();

        using var deleted = await _client.DeleteAsync($"{Triggers}/{key}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var read = await _client.GetAsync($"{Triggers}/{key}");
        await ProblemJson.ReadAsync(read, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RotateSecret_ReturnsANewSecretAndTheOverlapEnd_AndIsRefusedForKindsWithoutOne()
    {
        var agent = await NewAgentAsync();
        var created = await CreateAsync(agent, Webhook("Rotated"));
        var key = created.GetProperty("key").GetString();
        var first = created.GetProperty("secret").GetString();

        using var response = await _client.PostAsync($"{Triggers}/{key}/rotate-secret", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rotated = await response.Content.ReadFromJsonAsync<JsonElement>();
        var second = rotated.GetProperty("secret").GetString();
        Assert.StartsWith(TriggerSecrets.SecretPrefix, second, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        var until = rotated.GetProperty("previousValidUntil").GetDateTimeOffset();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        Assert.Equal(now + TimeSpan.FromHours(24), until, TimeSpan.FromMinutes(5));
        using var read = await _client.GetAsync($"{Triggers}/{key}");
        var text = await read.Content.ReadAsStringAsync();
        Assert.DoesNotContain(second!, text, StringComparison.Ordinal);
        Assert.DoesNotContain(first!, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Roles.Reviewer)]
    [InlineData(Roles.Manager)]
    public async Task ReadOnlyRoles_ReadTriggersStatsAndEvents_ButGet403ForEveryChange(string role)
    {
        var agent = await NewAgentAsync();
        var key = (await CreateAsync(agent, Webhook("Guarded"))).GetProperty("key").GetString();
        using var client = host.CreateClient(await KeyForAsync(role));

        foreach (var path in new[] { $"/api/v1/agents/{agent}/triggers", $"{Triggers}/{key}", $"{Triggers}/{key}/stats", $"{Triggers}/{key}/events" })
        {
            using var read = await client.GetAsync(path);
            Assert.True(read.StatusCode == HttpStatusCode.OK, $"{role} GET {path}: {(int)read.StatusCode}");
        }

        using var test = await client.PostAsync($"{Triggers}/{key}/test", null);
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);

        using var create = await client.PostAsJsonAsync($"/api/v1/agents/{agent}/triggers", Webhook("Sneaky"));
        using var update = await client.PutAsJsonAsync($"{Triggers}/{key}", Webhook("Sneaky"));
        using var rotate = await client.PostAsync($"{Triggers}/{key}/rotate-secret", null);
        using var delete = await client.DeleteAsync($"{Triggers}/{key}");
        Assert.All([create, update, rotate, delete], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));

        using var still = await _client.GetAsync($"{Triggers}/{key}");
        Assert.Equal("Guarded", (await still.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Owner_CreatesTriggers()
    {
        var agent = await NewAgentAsync();
        using var owner = host.CreateClient(await KeyForAsync(Roles.Owner));

        using var response = await owner.PostAsJsonAsync($"/api/v1/agents/{agent}/triggers", Webhook("Owned"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Test_UsesTheSamplePayloadByDefault_AndSaysWhyAPayloadIsFilteredOut_WithoutStoringAnything()
    {
        var agent = await NewAgentAsync();
        var body = Webhook("Tested", WebsiteFilter());
        body["mapping"] = new JsonObject { ["email"] = "email", ["source"] = "source", ["employees"] = "employees" };
        var key = (await CreateAsync(agent, body)).GetProperty("key").GetString();

        using var sample = await _client.PostAsync($"{Triggers}/{key}/test", null);
        var matched = await sample.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, sample.StatusCode);
        Assert.True(matched.GetProperty("matched").GetBoolean());
        Assert.Equal("dana@acme.example", matched.GetProperty("input").GetProperty("email").GetString());
        Assert.Equal(120, matched.GetProperty("input").GetProperty("employees").GetInt32());
        Assert.Empty(matched.GetProperty("inputErrors").EnumerateObject());

        using var other = await _client.PostAsJsonAsync($"{Triggers}/{key}/test", new { payload = new { source = "fax", email = "a@b.example" } });
        var filtered = await other.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(filtered.GetProperty("matched").GetBoolean());
        Assert.Contains("source is \"fax\"", filtered.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, filtered.GetProperty("input").ValueKind);

        using var missing = await _client.PostAsJsonAsync($"{Triggers}/{key}/test", new { payload = new { source = "website", employees = "many" } });
        var invalid = await missing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(invalid.GetProperty("matched").GetBoolean());
        Assert.Contains("input.email", invalid.GetProperty("inputErrors").EnumerateObject().Select(p => p.Name));

        using var events = await _client.GetAsync($"{Triggers}/{key}/events");
        Assert.Equal(0, (await events.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task StatsAndEvents_CountWhatTheInboxReceived_AndRunsFilterByTrigger()
    {
        var agent = await NewAgentAsync();
        var key = (await CreateAsync(agent, Webhook("Counted", WebsiteFilter()))).GetProperty("key").GetString()!;

        await ReceiveAsync(key,
            new JsonObject { ["email"] = "a@acme.example", ["source"] = "website" },
            new JsonObject { ["email"] = "b@acme.example", ["source"] = "fax" });

        using var statsResponse = await _client.GetAsync($"{Triggers}/{key}/stats?days=14");
        var stats = await statsResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(14, stats.GetProperty("items").GetArrayLength());
        var today = stats.GetProperty("items")[13];
        Assert.Equal(2, today.GetProperty("received").GetInt32());
        Assert.Equal(1, today.GetProperty("matched").GetInt32());
        Assert.Equal(1, today.GetProperty("filteredOut").GetInt32());
        Assert.Equal(1, today.GetProperty("runsStarted").GetInt32());
        Assert.Equal(0, today.GetProperty("rejected").GetInt32());
        Assert.Equal(0, today.GetProperty("duplicates").GetInt32());
        using var defaultStats = await _client.GetAsync($"{Triggers}/{key}/stats");
        Assert.Equal(30, (await defaultStats.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").GetArrayLength());

        using var firstPage = await _client.GetAsync($"{Triggers}/{key}/events?limit=1");
        var page = await firstPage.Content.ReadFromJsonAsync<JsonElement>();
        var newest = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("FilteredOut", newest.GetProperty("status").GetString());
        Assert.Contains("which does not pass \"website\"", newest.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, newest.GetProperty("payload").ValueKind);
        Assert.Equal("test", newest.GetProperty("source").GetString());
        var cursor = page.GetProperty("nextCursor").GetString();
        using var secondPage = await _client.GetAsync($"{Triggers}/{key}/events?limit=1&cursor={cursor}");
        var older = Assert.Single((await secondPage.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray());
        Assert.Equal("RunStarted", older.GetProperty("status").GetString());
        var runId = older.GetProperty("runId").GetGuid();
        var eventId = older.GetProperty("id").GetGuid();

        using var started = await _client.GetAsync($"{Triggers}/{key}/events?status=run-started");
        Assert.Equal([eventId], (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));

        using var one = await _client.GetAsync($"{Triggers}/{key}/events/{eventId}");
        var detail = await one.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("a@acme.example", detail.GetProperty("payload").GetProperty("email").GetString());

        using var runs = await _client.GetAsync($"/api/v1/runs?trigger={key}");
        var run = Assert.Single((await runs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray());
        Assert.Equal(runId, run.GetProperty("id").GetGuid());
        Assert.Equal(key, run.GetProperty("triggerKey").GetString());
        Assert.Equal(eventId, run.GetProperty("triggerEventId").GetGuid());
        using var runDetail = await _client.GetAsync($"/api/v1/runs/{runId}");
        Assert.Equal(key, (await runDetail.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("triggerKey").GetString());
    }

    [Theory]
    [InlineData("stats?days=0", "days")]
    [InlineData("stats?days=367", "days")]
    [InlineData("events?status=lost", "status")]
    [InlineData("events?limit=0", "limit")]
    [InlineData("events?limit=201", "limit")]
    [InlineData("events?cursor=not-a-cursor", "cursor")]
    public async Task StatsAndEvents_Return400_ForBadQueryValues(string query, string named)
    {
        var agent = await NewAgentAsync();
        var key = (await CreateAsync(agent, Webhook("Queried"))).GetProperty("key").GetString();

        using var response = await _client.GetAsync($"{Triggers}/{key}/{query}");

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(named, problem.Detail() + problem.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
