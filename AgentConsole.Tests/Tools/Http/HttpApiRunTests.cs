using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.Http;
using AgentConsole.Tests.Models;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Tools.Http;

/// <summary>http_request in real runs: the model (a fake OpenAI endpoint) calls it, the engine journals and audits it.</summary>
public sealed class HttpApiRunTests : IDisposable
{
    private const string Secret = "sk-live-51f0e9d8c7b6a5-connection-secret";

    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task Run_SendsTheSecretHeader_ButNoStepAuditOrModelRequestHoldsIt()
    {
        await using var api = await FakeApi.StartAsync();
        await using var model = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall(HttpApiConnector.ToolKey, new { method = "POST", url = api.Url("items").ToString(), body = new { name = "Sprocket" } }),
            FakeModelReply.Text("Created the item."));
        await using var host = await StartAsync(model, api, ToolScope.Write);

        var detail = await host.ExecuteAsync(await host.StartRunAsync(Engine.Demo.DemoWorkspace.LeadRouterKey, FakeProviderRuns.MidMarketLead));

        Assert.True(detail.Run.Status == RunStatus.Succeeded, FakeProviderRuns.Timeline(detail));
        var sent = Assert.Single(api.Requests);
        Assert.Equal($"Bearer {Secret}", sent.Header("Authorization"));
        Assert.Equal(ToolCall.Derive(detail.Run.Id, "call_1_0"), sent.Header("Idempotency-Key"));
        var step = Assert.Single(FakeProviderRuns.ToolSteps(detail));
        Assert.Contains("201", step.JournalJson, StringComparison.Ordinal);

        var stored = await host.QueryAsync(async db => new[]
        {
            await db.RunSteps.Where(s => s.RunId == detail.Run.Id).Select(s => s.Title + s.DetailJson + s.JournalJson).ToListAsync(),
            await db.AuditEvents.Select(e => e.Summary + e.Payload).ToListAsync(),
            await db.AuditOutbox.Select(e => e.Summary + e.Payload).ToListAsync(),
        }.SelectMany(texts => texts).ToList());
        Assert.Contains(stored, text => text.Contains("http_request", StringComparison.Ordinal));
        Assert.DoesNotContain(stored, text => text.Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(model.Requests, body => body.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_EscalatesWithoutSending_WhenAReadScopeGrantTriesToPost()
    {
        await using var api = await FakeApi.StartAsync();
        await using var model = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall(HttpApiConnector.ToolKey, new { method = "POST", url = api.Url("items").ToString(), body = new { name = "Sprocket" } }),
            FakeModelReply.Text("Not reached."));
        await using var host = await StartAsync(model, api, ToolScope.Read);

        var detail = await host.ExecuteAsync(await host.StartRunAsync(Engine.Demo.DemoWorkspace.LeadRouterKey, FakeProviderRuns.MidMarketLead));

        Assert.True(detail.Run.Status == RunStatus.WaitingForHuman, FakeProviderRuns.Timeline(detail));
        Assert.Equal(EscalationKind.ToolFailure, Assert.Single(detail.Escalations).Kind);
        Assert.Contains("read-only", Assert.Single(FakeProviderRuns.ToolSteps(detail)).Title, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
        // Audit events reach AuditEvents when the sealer has chained them (a background job): wait for it.
        await FakeProviderRuns.EventuallyAsync(async () =>
            (await host.QueryAsync(db => db.AuditEvents.Where(e => e.Action == "tool.failed").Select(e => e.Payload).ToListAsync()))
                .Exists(payload => payload.Contains("read-only", StringComparison.Ordinal)), "the tool.failed audit event");
    }

    private async Task<RunHost> StartAsync(FakeModelEndpoint model, FakeApi api, ToolScope scope)
    {
        var host = await FakeProviderRuns.StartHostAsync(model, _folders.New(), agent: a =>
        {
            a.AutonomyLevel = AutonomyLevel.ExternalLowStakes;
            a.Tools = [new ToolGrant { Tool = HttpApiConnector.ToolKey, Scope = scope }];
        });
        var saved = await host.Services.GetRequiredService<ConnectionStore>().UpdateAsync(HttpApiConnector.ConnectorKey, new ConnectionUpdate(
            ConnectionMode.Live,
            new JsonObject { ["allowedHosts"] = new JsonArray(api.HostEntry), ["secretHeaders"] = new JsonObject { ["Authorization"] = "apiToken" } },
            new Dictionary<string, string> { ["apiToken"] = $"Bearer {Secret}" },
            SimulatedFailure.None), "admin@example.com");
        Assert.Equal(ConnectionSaveOutcome.Saved, saved.Outcome);
        return host;
    }
}
