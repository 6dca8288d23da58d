using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.Crm;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Tools.Crm;

/// <summary>The CRM connector in live mode against a fake REST CRM over real HTTP on loopback.</summary>
public sealed class CrmLiveTests : IAsyncLifetime
{
    private FakeCrm _crm = null!;
    private ServiceProvider _services = null!;
    private CrmConnector _connector = null!;

    public async Task InitializeAsync()
    {
        _crm = await FakeCrm.StartAsync();
        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        _connector = new CrmConnector(null!, new CrmRestClient(_services.GetRequiredService<IHttpClientFactory>()));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _crm.DisposeAsync();
    }

    private JsonObject Settings() => new()
    {
        ["baseUrl"] = _crm.BaseAddress.ToString(),
        ["fieldMapping"] = new JsonObject
        {
            ["company"] = "org_name",
            ["accountId"] = "org_id",
            ["owner"] = "owner_team",
            ["existingCustomer"] = "is_customer",
            ["email"] = "contact_email",
            ["route"] = "lead_route",
        },
        ["paths"] = new JsonObject { ["findCompany"] = "orgs/search?q={company}" },
    };

    private ToolCall Call(string tool, JsonObject arguments, string callId = "call-1", JsonObject? settings = null, string? token = FakeCrm.Token)
    {
        var secrets = token is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [CrmRestClient.TokenSecret] = token };
        var connection = new ConnectionSnapshot(CrmConnector.ConnectionKey, CrmConnector.ConnectorKey, ConnectionMode.Live, settings ?? Settings(), secrets, SimulatedFailure.None);
        var definition = _connector.Tools.Single(t => t.Key == tool);
        return new ToolCall(definition, arguments, definition.Access == ToolAccess.Write ? ToolScope.Write : ToolScope.Read,
            Guid.Parse("6f1c7a34-3a38-4f55-9a3c-0d6f4f7d2e11"), "lead-router", callId, connection, _services);
    }

    [Fact]
    public async Task FindCompany_SendsTheBearerToken_AndMapsTheCrmsFieldNamesToOurs()
    {
        var result = (JsonObject)(await _connector.InvokeAsync(Call(CrmTools.FindCompany, new() { ["company"] = "Acme GmbH" }), CancellationToken.None))!;

        Assert.True(result["found"]!.GetValue<bool>());
        Assert.Equal("Acme GmbH", result["company"]!.GetValue<string>());
        Assert.Equal("org-7", result["accountId"]!.GetValue<string>());
        Assert.Equal("Sales EMEA", result["owner"]!.GetValue<string>());
        var request = Assert.Single(_crm.Requests);
        Assert.Equal(("GET", "/api/v2/orgs/search?q=Acme%20GmbH"), (request.Method, request.PathAndQuery));
        Assert.Equal($"Bearer {FakeCrm.Token}", request.Authorization);
        Assert.Null(request.IdempotencyKey);
    }

    [Fact]
    public async Task FindCompany_SaysNotFound_WhenTheCrmAnswersAnEmptyList()
    {
        var result = await _connector.InvokeAsync(Call(CrmTools.FindCompany, new() { ["company"] = "Nobody Inc" }), CancellationToken.None);

        Assert.False(result!["found"]!.GetValue<bool>());
    }

    [Fact]
    public async Task UpdateLead_SendsTheIdempotencyKey_SoTheSameCallTwiceHasOneEffect()
    {
        var arguments = new JsonObject { ["email"] = "dana@acme.example", ["route"] = "Mid-market sequence" };

        var first = await _connector.InvokeAsync(Call(CrmTools.UpdateLead, arguments), CancellationToken.None);
        var again = await _connector.InvokeAsync(Call(CrmTools.UpdateLead, arguments), CancellationToken.None);
        await _connector.InvokeAsync(Call(CrmTools.UpdateLead, arguments, callId: "call-2"), CancellationToken.None);

        var requests = _crm.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(("PATCH", "/api/v2/leads?email=dana%40acme.example"), (r.Method, r.PathAndQuery)));
        Assert.Equal(requests[0].IdempotencyKey, requests[1].IdempotencyKey);
        Assert.Equal(ToolCall.Derive(Guid.Parse("6f1c7a34-3a38-4f55-9a3c-0d6f4f7d2e11"), "call-1"), requests[0].IdempotencyKey);
        Assert.NotEqual(requests[0].IdempotencyKey, requests[2].IdempotencyKey);
        Assert.Equal(2, _crm.Effects);
        // Our field names went out as the CRM's, and its answer came back in ours.
        Assert.Equal("Mid-market sequence", JsonNode.Parse(requests[0].Body)!["lead_route"]!.GetValue<string>());
        Assert.Equal("Mid-market sequence", first!["route"]!.GetValue<string>());
        Assert.Equal(first.ToJsonString(), again!.ToJsonString());
    }

    [Fact]
    public async Task Call_IsPermanent_WhenTheCrmRefusesTheToken()
    {
        var ex = await Assert.ThrowsAsync<ToolCallException>(() =>
            _connector.InvokeAsync(Call(CrmTools.GetLead, new() { ["email"] = "dana@acme.example" }, token: "wrong-token"), CancellationToken.None));

        Assert.Equal((ToolFailureKind.Permanent, 401), (ex.Kind, ex.Status));
        Assert.Contains("token", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(503, "7", 7)]
    [InlineData(429, "2", 2)]
    public async Task Call_IsTransient_WithTheCrmsRetryAfter_WhenItIsUnavailableOrThrottles(int status, string retryAfter, int seconds)
    {
        _crm.Faults.Enqueue((status, retryAfter));

        var ex = await Assert.ThrowsAsync<ToolCallException>(() =>
            _connector.InvokeAsync(Call(CrmTools.UpdateLead, new() { ["email"] = "dana@acme.example", ["owner"] = "Sales EMEA" }), CancellationToken.None));

        Assert.Equal((ToolFailureKind.Transient, status), (ex.Kind, ex.Status));
        Assert.Equal(TimeSpan.FromSeconds(seconds), ex.RetryAfter);
        Assert.Equal(0, _crm.Effects);

        // The retry with the same key takes effect once.
        await _connector.InvokeAsync(Call(CrmTools.UpdateLead, new() { ["email"] = "dana@acme.example", ["owner"] = "Sales EMEA" }), CancellationToken.None);
        Assert.Equal(1, _crm.Effects);
    }

    [Fact]
    public async Task Call_IsTransientWithoutRetryAfter_WhenTheCrmFailsWith500AndSaysNoMore()
    {
        _crm.Faults.Enqueue((500, null));

        var ex = await Assert.ThrowsAsync<ToolCallException>(() =>
            _connector.InvokeAsync(Call(CrmTools.GetLead, new() { ["email"] = "dana@acme.example" }), CancellationToken.None));

        Assert.Equal((ToolFailureKind.Transient, 500, (TimeSpan?)null), (ex.Kind, ex.Status, ex.RetryAfter));
    }

    [Fact]
    public async Task Call_IsBadArguments_WhenTheCrmRejectsTheRequest()
    {
        _crm.Faults.Enqueue((422, null));

        var ex = await Assert.ThrowsAsync<ToolCallException>(() =>
            _connector.InvokeAsync(Call(CrmTools.UpdateLead, new() { ["email"] = "dana@acme.example" }), CancellationToken.None));

        Assert.Equal(ToolFailureKind.InvalidArguments, ex.Kind);
        Assert.Contains("injected 422", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_IsPermanent_WhenTheLiveConnectionHasNoBaseUrlOrToken()
    {
        var noUrl = await Assert.ThrowsAsync<ToolCallException>(() =>
            _connector.InvokeAsync(Call(CrmTools.GetLead, new() { ["email"] = "dana@acme.example" }, settings: []), CancellationToken.None));
        var noToken = await Assert.ThrowsAsync<ToolCallException>(() =>
            _connector.InvokeAsync(Call(CrmTools.GetLead, new() { ["email"] = "dana@acme.example" }, token: null), CancellationToken.None));

        Assert.Equal(ToolFailureKind.Permanent, noUrl.Kind);
        Assert.Contains("baseUrl", noUrl.Message, StringComparison.Ordinal);
        Assert.Equal(ToolFailureKind.Permanent, noToken.Kind);
        Assert.Contains("token", noToken.Message, StringComparison.Ordinal);
        Assert.Empty(_crm.Requests);
        Assert.False((await _connector.CheckAsync(Call(CrmTools.GetLead, [], settings: []).Connection, CancellationToken.None)).IsHealthy);
        Assert.True((await _connector.CheckAsync(Call(CrmTools.GetLead, []).Connection, CancellationToken.None)).IsHealthy);
    }

    [Fact]
    public async Task Call_IsTransient_WhenTheCrmIsUnreachable()
    {
        // A port bound but not listening: the connection is refused, with no race for the port.
        using var closed = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        closed.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var gone = new JsonObject { ["baseUrl"] = $"http://127.0.0.1:{((System.Net.IPEndPoint)closed.LocalEndPoint!).Port}/api/v2/" };

        var ex = await Assert.ThrowsAsync<ToolCallException>(() => ToolInvoker.AttemptAsync(_connector,
            Call(CrmTools.GetLead, new() { ["email"] = "dana@acme.example" }, settings: gone), TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None));

        Assert.Equal(ToolFailureKind.Transient, ex.Kind);
    }
}
