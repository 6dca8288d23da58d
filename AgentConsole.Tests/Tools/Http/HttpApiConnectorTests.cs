using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.Http;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Tools.Http;

/// <summary>The HTTP API connector against a real Kestrel API on loopback, with connections on a real SQLite database.</summary>
public sealed class HttpApiConnectorTests : IAsyncLifetime
{
    private const string Token = "Bearer tok-9f8e7d6c5b4a-not-a-real-token";

    private TestDatabase _db = null!;
    private FakeApi _api = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _api = await FakeApi.StartAsync();
        await _db.Get<ConnectionStore>().EnsureDefaultsAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _db.DisposeAsync();
    }

    private HttpApiConnector Connector => _db.Services.GetServices<IConnector>().OfType<HttpApiConnector>().Single();

    private ToolDefinition Tool => Connector.Tools.Single();

    [Fact]
    public async Task Invoke_ReturnsStatusHeadersAndParsedJson_WhenTheHostIsAllowed()
    {
        await GoLiveAsync();

        var result = await InvokeAsync(new { method = "GET", url = _api.Url("items").ToString(), query = new { page = 2, q = "a b" } });

        Assert.Equal(200, (int)result["status"]!);
        Assert.StartsWith("application/json", (string)result["headers"]!["Content-Type"]!, StringComparison.Ordinal);
        Assert.Equal("Gadget", (string)result["body"]!["items"]![1]!["name"]!);
        Assert.Equal("/items?page=2&q=a%20b", Assert.Single(_api.Requests).PathAndQuery);
    }

    [Fact]
    public async Task Invoke_ReturnsText_WhenTheBodyIsNotJson()
    {
        await GoLiveAsync();

        var result = await InvokeAsync(new { method = "GET", url = _api.Url("text").ToString() });

        Assert.Equal("plain words", (string)result["body"]!);
    }

    [Fact]
    public async Task Invoke_RefusesAsPermanent_WhenTheHostIsNotOnTheAllowList()
    {
        await GoLiveAsync(allowedHosts: ["api.example.com"]);

        var error = await FailAsync(new { method = "GET", url = _api.Url("items").ToString() });

        Assert.Equal(ToolFailureKind.Permanent, error.Kind);
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.Contains("IP address", error.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Requests);
    }

    [Theory]
    [InlineData("http://localhost:{port}/items", "not on the connection's allow-list")]
    [InlineData("http://127.0.0.1:1/items", "IP address")]
    [InlineData("file:///etc/passwd", "Only http and https")]
    [InlineData("http://me:pw@127.0.0.1:{port}/items", "credentials")]
    public async Task Invoke_RefusesAsPermanent_WhenTheUrlLeavesTheAllowList(string url, string reason)
    {
        await GoLiveAsync();

        var error = await FailAsync(new { method = "GET", url = url.Replace("{port}", _api.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) });

        Assert.Equal(ToolFailureKind.Permanent, error.Kind);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task Invoke_RefusesTheRedirect_WhenItPointsToAnotherHost()
    {
        await GoLiveAsync();
        var elsewhere = $"http://localhost:{_api.BaseAddress.Port}/items";

        var error = await FailAsync(new { method = "GET", url = _api.Url("redirect").ToString(), query = new { to = elsewhere } });

        Assert.Equal(ToolFailureKind.Permanent, error.Kind);
        Assert.Contains("redirected to http://localhost", error.Message, StringComparison.Ordinal);
        // Only the redirecting request arrived; the other host (the same server under another name) never saw one.
        Assert.Equal("GET", Assert.Single(_api.Requests).Method);
    }

    [Fact]
    public async Task Invoke_FollowsTheRedirect_WhenItStaysOnAnAllowedHost()
    {
        await GoLiveAsync();

        var result = await InvokeAsync(new { method = "GET", url = _api.Url("redirect").ToString(), query = new { to = "/items" } });

        Assert.Equal(200, (int)result["status"]!);
        Assert.EndsWith("/items", (string)result["url"]!, StringComparison.Ordinal);
        Assert.Equal(2, _api.Requests.Count);
        Assert.All(_api.Requests, r => Assert.Equal(Token, r.Header("Authorization")));
    }

    [Fact]
    public async Task Invoke_SendsTheSecretHeader_AndKeepsItOutOfTheResult()
    {
        await GoLiveAsync();

        var result = await InvokeAsync(new { method = "GET", url = _api.Url("items").ToString(), headers = new Dictionary<string, string> { ["Accept"] = "application/json" } });

        var request = Assert.Single(_api.Requests);
        Assert.Equal(Token, request.Header("Authorization"));
        Assert.Equal("application/json", request.Header("Accept"));
        Assert.DoesNotContain("tok-9f8e7d6c5b4a", result.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("Idempotency-Key")]
    [InlineData("Host")]
    [InlineData("X-Api-Key")]
    public async Task Invoke_RefusesAHeader_WhenTheConnectionOrTheEngineOwnsIt(string header)
    {
        await GoLiveAsync(secretHeaders: new JsonObject { ["Authorization"] = "apiToken", ["X-Api-Key"] = "apiToken" });

        var error = await FailAsync(new { method = "GET", url = _api.Url("items").ToString(), headers = new Dictionary<string, string> { [header] = "mine" } });

        Assert.Equal(ToolFailureKind.InvalidArguments, error.Kind);
        Assert.Contains(header, error.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Requests);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task Invoke_RefusesAWrite_WhenTheGrantIsReadScope(string method)
    {
        await GoLiveAsync();

        var error = await FailAsync(new { method, url = _api.Url("items").ToString() }, ToolScope.Read);

        Assert.Equal(ToolFailureKind.Permanent, error.Kind);
        Assert.Contains("read-only", error.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task Invoke_AllowsGet_WhenTheGrantIsReadScope()
    {
        await GoLiveAsync();

        var result = await InvokeAsync(new { method = "GET", url = _api.Url("items").ToString() }, ToolScope.Read);

        Assert.Equal(200, (int)result["status"]!);
        Assert.Null(Assert.Single(_api.Requests).Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Invoke_SendsTheSameIdempotencyKey_WhenTheCallIsSentAgain()
    {
        await GoLiveAsync();
        var runId = Guid.NewGuid();
        var arguments = new { method = "POST", url = _api.Url("items").ToString(), body = new { name = "Sprocket" } };

        await InvokeAsync(arguments, runId: runId, callId: "call_7");
        await InvokeAsync(arguments, runId: runId, callId: "call_7");
        await InvokeAsync(arguments, runId: runId, callId: "call_8");

        var keys = _api.Requests.Select(r => r.Header("Idempotency-Key")).ToList();
        Assert.Equal(ToolCall.Derive(runId, "call_7"), keys[0]);
        Assert.Equal(keys[0], keys[1]);
        Assert.NotEqual(keys[0], keys[2]);
        Assert.Equal("""{"name":"Sprocket"}""", _api.Requests[0].Body);
        Assert.StartsWith("application/json", _api.Requests[0].Header("Content-Type"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, ToolFailureKind.Transient)]
    [InlineData(500, ToolFailureKind.Transient)]
    [InlineData(503, ToolFailureKind.Transient)]
    [InlineData(401, ToolFailureKind.Permanent)]
    [InlineData(403, ToolFailureKind.Permanent)]
    [InlineData(404, ToolFailureKind.InvalidArguments)]
    [InlineData(422, ToolFailureKind.InvalidArguments)]
    public async Task Invoke_ClassifiesTheStatus(int status, ToolFailureKind kind)
    {
        await GoLiveAsync();

        var error = await FailAsync(new { method = "POST", url = _api.Url($"status/{status}").ToString(), body = new { } });

        Assert.Equal((kind, status), (error.Kind, error.Status));
        Assert.Equal(status == 429 ? TimeSpan.FromSeconds(7) : null, error.RetryAfter);
        if (kind == ToolFailureKind.InvalidArguments)
        {
            // The model sees what the API said, so it can correct the request.
            Assert.Contains("the field 'name' is required", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Invoke_ReadsOnlyTheCap_WhenTheBodyIsLarger()
    {
        await GoLiveAsync(settings: new JsonObject { ["maxResponseBytes"] = 4096 });
        // The body stalls after 64 KiB and never ends: reading it to the end would hang until this guard cancels.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var call = await CallAsync(new { method = "GET", url = _api.Url("endless").ToString() }, ToolScope.Write, Guid.NewGuid(), "call_1");

        var result = (await Connector.InvokeAsync(call, guard.Token))!;

        Assert.True((bool)result["truncated"]!);
        Assert.Equal(4096, ((string)result["body"]!).Length);
        Assert.Equal(4096, (int)result["bytes"]!);
        Assert.Contains("only the first 4,096 were read", (string)result["note"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_RefusesAsPermanent_WhenTheSecretIsNotSet()
    {
        await GoLiveAsync(secretHeaders: new JsonObject { ["Authorization"] = "missingToken" });

        var error = await FailAsync(new { method = "GET", url = _api.Url("items").ToString() });

        Assert.Equal(ToolFailureKind.Permanent, error.Kind);
        Assert.Contains("missingToken", error.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task Invoke_RecordsInsteadOfSending_WhenTheConnectionIsSandbox()
    {
        var runId = Guid.NewGuid();
        var arguments = new { method = "POST", url = "https://api.example.com/v1/orders", body = new { sku = "SOF-100", quantity = 3 } };

        var first = await InvokeAsync(arguments, runId: runId, callId: "call_1");
        var again = await InvokeAsync(arguments, runId: runId, callId: "call_1");

        Assert.Equal(200, (int)first["status"]!);
        Assert.True((bool)first["body"]!["sandbox"]!);
        Assert.False((bool)first["body"]!["replayed"]!);
        Assert.True((bool)again["body"]!["replayed"]!);
        await using var db = await _db.Contexts.CreateDbContextAsync();
        var row = Assert.Single(await db.Set<HttpSandboxRequest>().ToListAsync());
        Assert.Equal((runId, "call_1", ToolCall.Derive(runId, "call_1"), "POST"), (row.RunId!.Value, row.CallId, row.IdempotencyKey, row.Method));
        Assert.Equal("""{"sku":"SOF-100","quantity":3}""", row.BodyJson);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task Invoke_RefusesInSandbox_WhenTheHostIsNotAnExampleDomain()
    {
        var error = await FailAsync(new { method = "GET", url = "https://api.stripe.com/v1/charges" });

        Assert.Equal(ToolFailureKind.Permanent, error.Kind);
        await using var db = await _db.Contexts.CreateDbContextAsync();
        Assert.Equal(0, await db.Set<HttpSandboxRequest>().CountAsync());
    }

    [Fact]
    public async Task Check_SaysUnhealthy_WhenALiveConnectionHasNoAllowList()
    {
        var store = _db.Get<ConnectionStore>();
        var sandbox = await Connector.CheckAsync(await store.SnapshotAsync(Tool.Connection), CancellationToken.None);
        await store.UpdateAsync(HttpApiConnector.ConnectorKey, new ConnectionUpdate(ConnectionMode.Live, [], null, SimulatedFailure.None), "admin@example.com");

        var live = await Connector.CheckAsync(await store.SnapshotAsync(Tool.Connection), CancellationToken.None);

        Assert.True(sandbox.IsHealthy);
        Assert.Contains("example.com", sandbox.Message, StringComparison.Ordinal);
        Assert.False(live.IsHealthy);
        Assert.Contains("no allowedHosts", live.Message, StringComparison.Ordinal);
    }

    private async Task GoLiveAsync(string[]? allowedHosts = null, JsonObject? secretHeaders = null, JsonObject? settings = null)
    {
        settings ??= [];
        settings["allowedHosts"] = new JsonArray([.. (allowedHosts ?? [_api.HostEntry]).Select(h => (JsonNode?)h)]);
        settings["secretHeaders"] = secretHeaders ?? new JsonObject { ["Authorization"] = "apiToken" };
        var saved = await _db.Get<ConnectionStore>().UpdateAsync(HttpApiConnector.ConnectorKey,
            new ConnectionUpdate(ConnectionMode.Live, settings, new Dictionary<string, string> { ["apiToken"] = Token }, SimulatedFailure.None), "admin@example.com");
        Assert.Equal(ConnectionSaveOutcome.Saved, saved.Outcome);
    }

    private async Task<JsonNode> InvokeAsync(object arguments, ToolScope scope = ToolScope.Write, Guid? runId = null, string callId = "call_1")
    {
        var call = await CallAsync(arguments, scope, runId ?? Guid.NewGuid(), callId);
        return (await Connector.InvokeAsync(call, CancellationToken.None))!;
    }

    private async Task<ToolCallException> FailAsync(object arguments, ToolScope scope = ToolScope.Write)
    {
        var call = await CallAsync(arguments, scope, Guid.NewGuid(), "call_1");
        return await Assert.ThrowsAsync<ToolCallException>(() => Connector.InvokeAsync(call, CancellationToken.None));
    }

    private async Task<ToolCall> CallAsync(object arguments, ToolScope scope, Guid runId, string callId)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(arguments)!.AsObject();
        Assert.Null(ToolArguments.Validate(Tool, json));
        var connection = await _db.Get<ConnectionStore>().SnapshotAsync(Tool.Connection);
        return new ToolCall(Tool, json, scope, runId, "http-agent", callId, connection, _db.Services);
    }
}
