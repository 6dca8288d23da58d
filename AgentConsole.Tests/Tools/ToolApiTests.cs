using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Tools;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Tools;

/// <summary>
/// The tools API over the real Kestrel host: the catalogue (any role), an agent's grants and their approval policy
/// (GET agent, PUT tools for Owners and Admins), and connections (Admins only, secrets write-only).
/// Tools are picked from the registry by their declared properties, so the tests hold whichever connectors are registered.
/// </summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class ToolApiTests(ConsoleHostFixture host) : IAsyncLifetime
{
    private const string Tools = "/api/v1/tools";
    private const string Connections = "/api/v1/connections";
    private readonly HttpClient _admin = host.CreateClient(ConsoleHostFixture.AdminApiKey);
    private readonly List<string> _created = [];

    private ToolRegistry Registry => host.Services.GetRequiredService<ToolRegistry>();

    private ToolDefinition ReadTool => Registry.All.First(t => !t.BuiltIn && t.Access == ToolAccess.Read);

    private ToolDefinition WriteOnlyTool => Registry.All.First(t => !t.BuiltIn && t.Access == ToolAccess.Write && !t.SupportsReadScope && t.Reversible);

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The host is shared: the agents these tests created give their grants back, so other tests see the demo's grants only.</summary>
    public async Task DisposeAsync()
    {
        var catalog = host.Services.GetRequiredService<AgentCatalog>();
        foreach (var key in _created)
        {
            await catalog.SetToolsAsync(key, [], null, "tests");
        }

        _admin.Dispose();
    }

    private async Task<HttpClient> ClientForAsync(string role)
    {
        var created = await host.Services.GetRequiredService<ApiKeyService>().CreateAsync($"{role.ToLowerInvariant()}-{Guid.NewGuid():N}", role, "tests");
        return host.CreateClient(created.Secret);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private async Task<string> CreateAgentAsync(AutonomyLevel level, params object[] tools)
    {
        var key = $"t-{Guid.NewGuid():N}";
        using var response = await _admin.PostAsJsonAsync("/api/v1/agents", new { key, name = "Tool grants test", autonomyLevel = level.ToString(), tools });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        _created.Add(key);
        return key;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static HttpRequestMessage Put(string url, string json, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = Json(json) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Reviewer)]
    [InlineData(Roles.Manager)]
    public async Task ListTools_ReturnsEveryRegisteredTool_WithItsDeclaredProperties_ForAnyRole(string role)
    {
        using var client = await ClientForAsync(role);

        using var response = await client.GetAsync(Tools);

        var tools = (await ReadAsync(response)).EnumerateArray().ToDictionary(t => t.GetProperty("key").GetString()!);
        Assert.Equal(Registry.All.Select(t => t.Key).Order(StringComparer.Ordinal), tools.Keys.Order(StringComparer.Ordinal));
        foreach (var declared in Registry.All)
        {
            var tool = tools[declared.Key];
            Assert.Equal(declared.Title, tool.GetProperty("title").GetString());
            Assert.Equal(declared.Description, tool.GetProperty("description").GetString());
            Assert.Equal(declared.Access.ToString(), tool.GetProperty("access").GetString());
            Assert.Equal(declared.Reach.ToString(), tool.GetProperty("reach").GetString());
            Assert.Equal(declared.Reversible, tool.GetProperty("reversible").GetBoolean());
            Assert.Equal(declared.CostToUndoUsd, tool.GetProperty("costToUndoUsd").GetDecimal());
            Assert.Equal(declared.Connector, tool.GetProperty("connector").GetString());
            Assert.Equal(declared.BuiltIn, tool.GetProperty("builtIn").GetBoolean());
            Assert.Equal(JsonValueKind.Object, tool.GetProperty("parameters").ValueKind);
            if (declared.BuiltIn)
            {
                Assert.Equal(JsonValueKind.Null, tool.GetProperty("mode").ValueKind);
            }
            else
            {
                Assert.Equal(declared.Connection, tool.GetProperty("connection").GetString());
                Assert.Equal("Sandbox", tool.GetProperty("mode").GetString());
            }
        }
    }

    [Fact]
    public async Task ToolsAndConnections_Return401ProblemJson_WithoutCredentials()
    {
        using var anonymous = host.CreateClient();

        using var tools = await anonymous.GetAsync(Tools);
        await ProblemJson.ReadAsync(tools, HttpStatusCode.Unauthorized);
        using var connections = await anonymous.GetAsync(Connections);
        await ProblemJson.ReadAsync(connections, HttpStatusCode.Unauthorized);
        using var put = await anonymous.SendAsync(Put($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/tools", "[]"));
        await ProblemJson.ReadAsync(put, HttpStatusCode.Unauthorized);
        using var putConnection = await anonymous.SendAsync(Put($"{Connections}/{WriteOnlyTool.Connection}", """{"mode":"live"}"""));
        await ProblemJson.ReadAsync(putConnection, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task GetAgent_SaysPerGrant_WhetherACallNeedsApprovalAtItsAutonomyLevel_AndWhy()
    {
        var key = await CreateAgentAsync(AutonomyLevel.ReadOnlyResearch,
            new { key = ReadTool.Key, scope = "read" }, new { key = WriteOnlyTool.Key, scope = "write" });

        using var response = await _admin.GetAsync($"/api/v1/agents/{key}");

        var agent = await ReadAsync(response);
        Assert.Equal([ReadTool.Key, WriteOnlyTool.Key], agent.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("key").GetString()));
        var policy = agent.GetProperty("toolPolicy").EnumerateArray().ToDictionary(p => p.GetProperty("key").GetString()!);
        Assert.False(policy[ReadTool.Key].GetProperty("needsApproval").GetBoolean());
        Assert.Equal(JsonValueKind.Null, policy[ReadTool.Key].GetProperty("reason").ValueKind);
        Assert.Equal("read", policy[ReadTool.Key].GetProperty("scope").GetString());
        var write = policy[WriteOnlyTool.Key];
        Assert.True(write.GetProperty("needsApproval").GetBoolean());
        Assert.True(write.GetProperty("available").GetBoolean());
        Assert.Equal(ToolPolicy.ApprovalReason(WriteOnlyTool, ToolScope.Write, AutonomyLevel.ReadOnlyResearch), write.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task GetAgent_SaysACallNeedsApproval_WhenTheEscalationPolicyNamesTheTool()
    {
        var key = $"t-{Guid.NewGuid():N}";
        using var created = await _admin.PostAsJsonAsync("/api/v1/agents", new
        {
            key,
            name = "Policy approval test",
            autonomyLevel = nameof(AutonomyLevel.FullyAutonomous),
            tools = new object[] { new { key = ReadTool.Key, scope = "read" }, new { key = WriteOnlyTool.Key, scope = "write" } },
            escalation = new { approvalTools = new[] { WriteOnlyTool.Key } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        _created.Add(key);

        var agent = await ReadAsync(await _admin.GetAsync($"/api/v1/agents/{key}"));

        var policy = agent.GetProperty("toolPolicy").EnumerateArray().ToDictionary(p => p.GetProperty("key").GetString()!);
        // Fully autonomous, so the engine's own rule lets both run; the agent's policy still holds the write tool.
        Assert.Null(ToolPolicy.ApprovalReason(WriteOnlyTool, ToolScope.Write, AutonomyLevel.FullyAutonomous));
        Assert.False(policy[ReadTool.Key].GetProperty("needsApproval").GetBoolean());
        Assert.True(policy[WriteOnlyTool.Key].GetProperty("needsApproval").GetBoolean());
        Assert.Contains("escalation policy", policy[WriteOnlyTool.Key].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetTools_ReplacesTheGrants_HonoursIfMatch_AndReturnsTheAgentWithItsPolicy()
    {
        var key = await CreateAgentAsync(AutonomyLevel.FullyAutonomous);
        var url = $"/api/v1/agents/{key}/tools";

        using var saved = await _admin.SendAsync(Put(url, $$"""[{"key":"{{ReadTool.Key}}","scope":"read"},{"key":"{{WriteOnlyTool.Key}}","scope":"write"}]""", "\"1\""));

        var agent = await ReadAsync(saved);
        Assert.Equal("\"2\"", saved.Headers.ETag?.Tag);
        Assert.Equal(2, agent.GetProperty("revision").GetInt32());
        Assert.Equal(
            [$"{ReadTool.Key}:read", $"{WriteOnlyTool.Key}:write"],
            agent.GetProperty("tools").EnumerateArray().Select(t => $"{t.GetProperty("key").GetString()}:{t.GetProperty("scope").GetString()}"));
        Assert.Equal(2, agent.GetProperty("toolPolicy").GetArrayLength());
        Assert.Equal("Tool grants test", agent.GetProperty("name").GetString());

        // Someone else's save in between: the stale revision is refused, nothing changes.
        using var stale = await _admin.SendAsync(Put(url, "[]", "\"1\""));
        await ProblemJson.ReadAsync(stale, HttpStatusCode.PreconditionFailed);
        using var badHeader = await _admin.SendAsync(Put(url, "[]", "yesterday"));
        await ProblemJson.ReadAsync(badHeader, HttpStatusCode.BadRequest);
        using var read = await _admin.GetAsync($"/api/v1/agents/{key}");
        Assert.Equal(2, (await ReadAsync(read)).GetProperty("tools").GetArrayLength());

        // Without If-Match the last write wins; an empty array revokes everything.
        using var cleared = await _admin.SendAsync(Put(url, "[]"));
        Assert.Equal(0, (await ReadAsync(cleared)).GetProperty("tools").GetArrayLength());
    }

    [Fact]
    public async Task SetTools_IsAudited_AsAnAgentUpdate()
    {
        var key = await CreateAgentAsync(AutonomyLevel.FullyAutonomous);

        using var saved = await _admin.SendAsync(Put($"/api/v1/agents/{key}/tools", $$"""[{"key":"{{ReadTool.Key}}","scope":"read"}]"""));
        await ReadAsync(saved);

        using var audit = await _admin.GetAsync($"/api/v1/audit?agent={key}");
        var events = (await ReadAsync(audit)).GetProperty("events").EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("action").GetString() == "agent.updated" && e.GetProperty("summary").GetString()!.Contains("tools", StringComparison.OrdinalIgnoreCase));
    }

    public static TheoryData<string, string> BadGrants => new()
    {
        { """[{"key":"launch_rockets","scope":"write"}]""", "tools[0]" },
        { """[{"key":"__read__","scope":"admin"}]""", "tools[0].scope" },
        { """[{"key":"__write__","scope":"read"}]""", "tools[0].scope" },
        { """[{"key":"__read__","scope":"read"},{"key":"__read__","scope":"read"}]""", "tools[1]" },
        { """[{"key":"escalate","scope":"write"}]""", "tools[0]" },
        { """[{"key":"__read__","scope":"read"},42]""", "tools[1]" },
        { """[{"scope":"read"}]""", "tools[0]" },
    };

    [Theory]
    [MemberData(nameof(BadGrants))]
    public async Task SetTools_Returns400ValidationProblem_NamingTheBadGrant(string body, string expectedError)
    {
        var key = await CreateAgentAsync(AutonomyLevel.FullyAutonomous);
        body = body.Replace("__read__", ReadTool.Key, StringComparison.Ordinal).Replace("__write__", WriteOnlyTool.Key, StringComparison.Ordinal);

        using var response = await _admin.SendAsync(Put($"/api/v1/agents/{key}/tools", body));

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal([expectedError], problem.ErrorFields());
        using var read = await _admin.GetAsync($"/api/v1/agents/{key}");
        Assert.Equal(1, (await ReadAsync(read)).GetProperty("revision").GetInt32());
    }

    [Theory]
    [InlineData("""{"key":"crm_lookup"}""")]
    [InlineData("null")]
    [InlineData("not json")]
    public async Task SetTools_Returns400ProblemJson_WhenTheBodyIsNotAnArray(string body)
    {
        using var response = await _admin.SendAsync(Put($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/tools", body));

        await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task SetTools_Returns404ProblemJson_ForAnUnknownAgent()
    {
        using var response = await _admin.SendAsync(Put("/api/v1/agents/no-such-agent/tools", "[]"));

        await ProblemJson.ReadAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(Roles.Reviewer)]
    [InlineData(Roles.Manager)]
    public async Task SetTools_Returns403_ForRolesThatDoNotEditAgents(string role)
    {
        using var client = await ClientForAsync(role);

        using var response = await client.SendAsync(Put($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/tools", "[]"));

        await ProblemJson.ReadAsync(response, HttpStatusCode.Forbidden);
        using var read = await _admin.GetAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}");
        Assert.NotEqual(0, (await ReadAsync(read)).GetProperty("tools").GetArrayLength());
    }

    [Fact]
    public async Task SetTools_IsAllowed_ForOwners()
    {
        var key = await CreateAgentAsync(AutonomyLevel.FullyAutonomous);
        using var owner = await ClientForAsync(Roles.Owner);

        using var response = await owner.SendAsync(Put($"/api/v1/agents/{key}/tools", $$"""["{{ReadTool.Key}}"]"""));

        var agent = await ReadAsync(response);
        Assert.Equal("read", Assert.Single(agent.GetProperty("tools").EnumerateArray()).GetProperty("scope").GetString());
    }

    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Reviewer)]
    [InlineData(Roles.Manager)]
    public async Task Connections_Return403_ForEveryRoleButAdmin(string role)
    {
        using var client = await ClientForAsync(role);

        using var list = await client.GetAsync(Connections);
        await ProblemJson.ReadAsync(list, HttpStatusCode.Forbidden);
        using var one = await client.GetAsync($"{Connections}/{WriteOnlyTool.Connection}");
        await ProblemJson.ReadAsync(one, HttpStatusCode.Forbidden);
        using var put = await client.SendAsync(Put($"{Connections}/{WriteOnlyTool.Connection}", """{"mode":"live"}"""));
        await ProblemJson.ReadAsync(put, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task UpdateConnection_StoresSecretsWriteOnly_NamingThemButNeverReturningTheirValues()
    {
        var key = WriteOnlyTool.Connection;
        const string Secret = "sk-live-never-shown-0123456789";
        try
        {
            using var saved = await _admin.SendAsync(Put($"{Connections}/{key}",
                $$$"""{"mode":"live","settings":{"baseUrl":"https://crm.example.com"},"secrets":{"token":"{{{Secret}}}"}}"""));

            var text = await saved.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            var connection = JsonDocument.Parse(text).RootElement;
            Assert.Equal("Live", connection.GetProperty("mode").GetString());
            Assert.Equal(["token"], connection.GetProperty("secretsSet").EnumerateArray().Select(s => s.GetString()));
            Assert.Equal("https://crm.example.com", connection.GetProperty("settings").GetProperty("baseUrl").GetString());
            Assert.NotNull(saved.Headers.ETag);

            using var list = await _admin.GetAsync(Connections);
            var listed = await list.Content.ReadAsStringAsync();
            Assert.DoesNotContain(Secret, listed, StringComparison.Ordinal);
            Assert.Contains(JsonDocument.Parse(listed).RootElement.EnumerateArray(), c => c.GetProperty("key").GetString() == key && c.GetProperty("mode").GetString() == "Live");

            // The tools API reports the connection's mode.
            using var tools = await _admin.GetAsync(Tools);
            Assert.Equal("Live", (await ReadAsync(tools)).EnumerateArray().Single(t => t.GetProperty("key").GetString() == WriteOnlyTool.Key).GetProperty("mode").GetString());

            // The call gets the secret; the audit names it without its value.
            var snapshot = await host.Services.GetRequiredService<ConnectionStore>().SnapshotAsync(key);
            Assert.Equal(Secret, snapshot.Secret("token"));
            using var audit = await _admin.GetAsync("/api/v1/audit?q=connection");
            var auditText = await audit.Content.ReadAsStringAsync();
            Assert.Contains("connection.updated", auditText, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, auditText, StringComparison.Ordinal);

            // An empty value clears it; an omitted name keeps it.
            using var cleared = await _admin.SendAsync(Put($"{Connections}/{key}", """{"secrets":{"token":""}}"""));
            Assert.Equal(0, (await ReadAsync(cleared)).GetProperty("secretsSet").GetArrayLength());
        }
        finally
        {
            using var restore = await _admin.SendAsync(Put($"{Connections}/{key}", """{"mode":"sandbox","settings":{},"secrets":{"token":""},"simulatedFailure":"None"}"""));
            Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        }
    }

    [Fact]
    public async Task UpdateConnection_RefusesBadInput_WithProblemJson()
    {
        var key = WriteOnlyTool.Connection;

        using var liveFailure = await _admin.SendAsync(Put($"{Connections}/{key}", """{"mode":"live","simulatedFailure":"Persistent"}"""));
        Assert.Equal(["simulatedFailure"], (await ProblemJson.ReadAsync(liveFailure, HttpStatusCode.BadRequest)).ErrorFields());

        using var badMode = await _admin.SendAsync(Put($"{Connections}/{key}", """{"mode":"production"}"""));
        await ProblemJson.ReadAsync(badMode, HttpStatusCode.BadRequest);

        using var settingsNotObject = await _admin.SendAsync(Put($"{Connections}/{key}", """{"settings":[1,2]}"""));
        await ProblemJson.ReadAsync(settingsNotObject, HttpStatusCode.BadRequest);

        using var unknown = await _admin.SendAsync(Put($"{Connections}/no-such-connection", """{"mode":"sandbox"}"""));
        await ProblemJson.ReadAsync(unknown, HttpStatusCode.NotFound);

        using var current = await _admin.GetAsync($"{Connections}/{key}");
        var revision = (await ReadAsync(current)).GetProperty("revision").GetInt32();
        using var stale = await _admin.SendAsync(Put($"{Connections}/{key}", """{"mode":"sandbox"}""", $"\"{revision - 1}\""));
        await ProblemJson.ReadAsync(stale, HttpStatusCode.PreconditionFailed);

        using var after = await _admin.GetAsync($"{Connections}/{key}");
        var connection = await ReadAsync(after);
        Assert.Equal(revision, connection.GetProperty("revision").GetInt32());
        Assert.Equal("Sandbox", connection.GetProperty("mode").GetString());
    }
}
