using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Audit;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Audit;

[Collection(ConsoleHostGroup.Name)]
public sealed class AuditApiTests(ConsoleHostFixture host)
{
    private async Task<string> KeyForAsync(string role) =>
        (await host.Services.GetRequiredService<ApiKeyService>().CreateAsync($"audit-test-{role}-{Guid.NewGuid():N}", role, "test")).Secret;

    private async Task<string> RecordAsync(string marker, string agent = "lead-router")
    {
        await host.Services.GetRequiredService<AuditLog>().RecordBatchAsync(Enumerable.Range(1, 3).Select(i => new AuditEntry(
            AuditCategory.Decision, "decision.evaluated", AuditActor.Run($"run-{marker}"), $"Decision {i} for {marker}",
            new { marker, i }, agent, $"run-{marker}")));
        await host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        return marker;
    }

    private static string Marker() => "m" + Guid.NewGuid().ToString("N")[..12];

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Reviewer)]
    [InlineData(Roles.Manager)]
    public async Task Search_IsOpenToEveryRole(string role)
    {
        var marker = await RecordAsync(Marker());
        using var client = host.CreateClient(await KeyForAsync(role));

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/audit?q={marker}");

        Assert.Equal(3, page.GetProperty("events").GetArrayLength());
        var first = page.GetProperty("events")[0];
        Assert.Equal("Decision", first.GetProperty("category").GetString());
        Assert.Equal(marker, first.GetProperty("payload").GetProperty("marker").GetString());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Search_RefusesAnonymousCallers()
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/api/v1/audit");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Search_PagesWithTheNextCursor()
    {
        var marker = await RecordAsync(Marker());
        using var client = host.CreateClient(ConsoleHostFixture.AdminApiKey);

        var first = await client.GetFromJsonAsync<JsonElement>($"/api/v1/audit?run=run-{marker}&limit=2");
        var cursor = first.GetProperty("nextCursor").GetInt64();
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/v1/audit?run=run-{marker}&limit=2&cursor={cursor}");

        Assert.Equal(2, first.GetProperty("events").GetArrayLength());
        Assert.Equal(1, second.GetProperty("events").GetArrayLength());
        Assert.True(second.GetProperty("events")[0].GetProperty("sequence").GetInt64() < cursor);
    }

    [Theory]
    [InlineData("+02:00")]
    [InlineData("-05:00")]
    public async Task Search_FiltersByInstant_WhenFromAndToCarryAnOffset(string offsetText)
    {
        var offset = TimeSpan.Parse(offsetText.TrimStart('+'), System.Globalization.CultureInfo.InvariantCulture);
        var marker = await RecordAsync(Marker());
        using var client = host.CreateClient(ConsoleHostFixture.AdminApiKey);
        var at = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/audit?run=run-{marker}")).GetProperty("events")[0].GetProperty("timestamp").GetDateTimeOffset();

        async Task<int> CountAsync(DateTimeOffset from, DateTimeOffset to) =>
            (await client.GetFromJsonAsync<JsonElement>($"/api/v1/audit?run=run-{marker}" +
                $"&from={Uri.EscapeDataString(from.ToOffset(offset).ToString("O", System.Globalization.CultureInfo.InvariantCulture))}" +
                $"&to={Uri.EscapeDataString(to.ToOffset(offset).ToString("O", System.Globalization.CultureInfo.InvariantCulture))}"))
            .GetProperty("events").GetArrayLength();

        Assert.Equal(3, await CountAsync(at.AddMinutes(-1), at.AddMinutes(1)));
        Assert.Equal(0, await CountAsync(at.AddMinutes(1), at.AddMinutes(5)));
        Assert.Equal(0, await CountAsync(at.AddMinutes(-5), at.AddMinutes(-1)));
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45", "to")]
    [InlineData("category=Billing", "category")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("from=2026-11-25&to=2026-11-01", "to")]
    public async Task Search_Returns400ProblemDetails_ForInvalidParameters(string query, string field)
    {
        using var client = host.CreateClient(ConsoleHostFixture.AdminApiKey);

        using var response = await client.GetAsync($"/api/v1/audit?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}'");
    }

    [Theory]
    [InlineData("*")]
    [InlineData("-only")]
    public async Task Search_Returns400WithAClearMessage_WhenTheTextHasNothingToSearch(string q)
    {
        using var client = host.CreateClient(ConsoleHostFixture.AdminApiKey);

        using var response = await client.GetAsync($"/api/v1/audit?q={Uri.EscapeDataString(q)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("NEAR(")]
    [InlineData("a AND")]
    public async Task Search_Answers200_ForFts5SyntaxInTheText(string q)
    {
        using var client = host.CreateClient(ConsoleHostFixture.AdminApiKey);

        using var response = await client.GetAsync($"/api/v1/audit?q={Uri.EscapeDataString(q)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Verify_ReportsAnIntactChain_AndIsItselfAudited()
    {
        using var client = host.CreateClient(ConsoleHostFixture.AdminApiKey);

        using var verified = await client.PostAsync("/api/v1/audit/verify", null);
        var result = await verified.Content.ReadFromJsonAsync<JsonElement>();
        var audited = await client.GetFromJsonAsync<JsonElement>("/api/v1/audit?q=verified&category=Security&limit=1");

        Assert.True(result.GetProperty("ok").GetBoolean(), result.GetProperty("reason").ToString());
        Assert.True(result.GetProperty("eventsChecked").GetInt64() > 0);
        Assert.Equal("audit.verified", audited.GetProperty("events")[0].GetProperty("action").GetString());
    }

    [Fact]
    public async Task Export_StreamsCsvAndJsonLines_WithTheTotalCount()
    {
        var marker = await RecordAsync(Marker());
        using var client = host.CreateClient(ConsoleHostFixture.AdminApiKey);

        using var csv = await client.GetAsync($"/api/v1/audit/export?format=csv&q={marker}");
        using var jsonl = await client.GetAsync($"/api/v1/audit/export?format=jsonl&q={marker}");

        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("3", csv.Headers.GetValues("X-Total-Count").Single());
        Assert.Contains("attachment", csv.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var csvLines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, csvLines.Length);
        var jsonLines = (await jsonl.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, jsonLines.Length);
        Assert.All(jsonLines, line => Assert.Equal(marker, JsonDocument.Parse(line).RootElement.GetProperty("payload").GetProperty("marker").GetString()));
    }

    [Fact]
    public async Task Export_Returns400_ForAnUnknownFormat()
    {
        using var client = host.CreateClient(ConsoleHostFixture.AdminApiKey);

        using var response = await client.GetAsync("/api/v1/audit/export?format=xml");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AgentChanges_AreAuditedWithABeforeAfterDiff()
    {
        using var client = host.CreateClient(ConsoleHostFixture.AdminApiKey);
        var key = "audited-" + Guid.NewGuid().ToString("N")[..8];
        await client.PostAsJsonAsync("/api/v1/agents", new { key, name = "Audited agent", maxSteps = 10 });
        await client.PutAsJsonAsync($"/api/v1/agents/{key}", new { key, name = "Audited agent", maxSteps = 12 });
        await host.Services.GetRequiredService<AuditChain>().SealPendingAsync();

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/audit?agent={key}&category=Configuration");

        var events = page.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["agent.updated", "agent.created"], events.Select(e => e.GetProperty("action").GetString()));
        var update = events[0];
        Assert.Equal("api-key:Bootstrap key", update.GetProperty("actor").GetString() is { } actor && update.GetProperty("actorType").GetString() == "ApiKey" ? $"api-key:{actor}" : "");
        var change = update.GetProperty("payload").GetProperty("changes").EnumerateArray().Single();
        Assert.Equal("maxSteps", change.GetProperty("field").GetString());
        Assert.Equal(10, change.GetProperty("from").GetInt32());
        Assert.Equal(12, change.GetProperty("to").GetInt32());
    }
}
