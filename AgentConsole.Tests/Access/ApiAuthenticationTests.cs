using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Access;

[Collection(ConsoleHostGroup.Name)]
public sealed class ApiAuthenticationTests(ConsoleHostFixture host)
{
    private const string Agents = "/api/v1/agents";

    private ApiKeyService Keys => host.Services.GetRequiredService<ApiKeyService>();

    [Fact]
    public async Task ApiCall_Returns401ProblemJson_WithoutCredentials()
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync(Agents);

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.Unauthorized);
        Assert.True(
            response.Headers.WwwAuthenticate.Count > 0 || problem.Detail().Contains("Authorization: Bearer", StringComparison.Ordinal),
            $"A 401 should say how to authenticate; detail was '{problem.Detail()}'.");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ac_this-key-was-never-issued-0123456789")]
    public async Task ApiCall_Returns401ProblemJson_EvenWhenClientAcceptsOnlyText(string? apiKey)
    {
        using var client = host.CreateClient(apiKey);
        client.DefaultRequestHeaders.Accept.ParseAdd("text/plain");

        using var response = await client.GetAsync(Agents);

        await ProblemJson.ReadAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ApiCall_Returns401NotValid_WhenBearerKeyIsUnknown()
    {
        using var client = host.CreateClient("ac_this-key-was-never-issued-0123456789");

        using var response = await client.GetAsync(Agents);

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("not valid", problem.Detail(), StringComparison.Ordinal);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task ApiCall_Returns401Revoked_WhenBearerKeyWasRevoked()
    {
        var created = await Keys.CreateAsync($"revoked-{Guid.NewGuid():N}", Roles.Owner, "tests");
        using var client = host.CreateClient(created.Secret);
        using (var before = await client.GetAsync(Agents))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Assert.True(await Keys.RevokeAsync(created.Key.Id, "tests"));
        using var response = await client.GetAsync(Agents);

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem.Detail(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Reviewer)]
    public async Task ReadOnlyRoleKey_CanReadAgents_ButCreateAndUpdateReturn403(string role)
    {
        var created = await Keys.CreateAsync($"{role.ToLowerInvariant()}-{Guid.NewGuid():N}", role, "tests");
        using var client = host.CreateClient(created.Secret);

        using (var list = await client.GetAsync(Agents))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        }

        using (var one = await client.GetAsync($"{Agents}/{DemoWorkspace.LeadRouterKey}"))
        {
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        }

        var key = $"t-{Guid.NewGuid():N}";
        using (var post = await client.PostAsJsonAsync(Agents, new { key, name = "Not allowed" }))
        {
            await ProblemJson.ReadAsync(post, HttpStatusCode.Forbidden);
        }

        var definition = DemoWorkspace.LeadRouter();
        definition.Name = "Renamed by someone who may not";
        using (var put = await client.PutAsJsonAsync($"{Agents}/{DemoWorkspace.LeadRouterKey}", definition))
        {
            await ProblemJson.ReadAsync(put, HttpStatusCode.Forbidden);
        }

        using var admin = host.CreateClient(ConsoleHostFixture.AdminApiKey);
        using var notCreated = await admin.GetAsync($"{Agents}/{key}");
        Assert.Equal(HttpStatusCode.NotFound, notCreated.StatusCode);
        using var leadRouter = await admin.GetAsync($"{Agents}/{DemoWorkspace.LeadRouterKey}");
        using var body = JsonDocument.Parse(await leadRouter.Content.ReadAsStringAsync());
        Assert.Equal("Inbound lead router", body.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task OwnerKey_CanCreateAgent_AndIsRecordedAsItsCreator()
    {
        var name = $"owner-{Guid.NewGuid():N}";
        var created = await Keys.CreateAsync(name, Roles.Owner, "tests");
        using var client = host.CreateClient(created.Secret);
        var key = $"t-{Guid.NewGuid():N}";

        using var response = await client.PostAsJsonAsync(Agents, new { key, name = "Owner's agent" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal($"api-key:{name}", body.RootElement.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_Returns401_WhenAnonymous()
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        await ProblemJson.ReadAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OpenApiDocument_ListsAgentPaths_WithApiKey()
    {
        var created = await Keys.CreateAsync($"reader-{Guid.NewGuid():N}", Roles.Manager, "tests");
        using var client = host.CreateClient(created.Secret);

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        var agents = paths.GetProperty("/api/v1/agents");
        Assert.True(agents.TryGetProperty("get", out _));
        Assert.True(agents.TryGetProperty("post", out _));
        var agent = paths.GetProperty("/api/v1/agents/{key}");
        Assert.True(agent.TryGetProperty("get", out _));
        Assert.True(agent.TryGetProperty("put", out _));
        Assert.Equal("AgentConsole API", document.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Healthz_IsServed_EvenWithAnInvalidBearerKey()
    {
        using var client = host.CreateClient("ac_not-a-key-at-all-0123456789abcdef");

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
