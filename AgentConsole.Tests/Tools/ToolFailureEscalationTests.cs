using System.Text.Json.Nodes;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Tools;
using AgentConsole.Tests.Components;
using AgentConsole.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Tools;

/// <summary>
/// A run whose tool keeps failing escalates with structured detail (tool, kind, attempts, last error), which the
/// escalation card and queue show instead of parsing the reason sentence.
/// </summary>
public sealed class ToolFailureEscalationTests : IAsyncLifetime
{
    private readonly string _folder = RunHost.NewFolder();
    private RunHost _host = default!;

    public async Task InitializeAsync() => _host = await RunHost.StartAsync(_folder);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        RunHost.DeleteFolder(_folder);
    }

    [Fact]
    public async Task PersistentConnectorFailure_EscalatesWithWhatFailed_HowOften_AndTheLastError()
    {
        var store = _host.Services.GetRequiredService<ConnectionStore>();
        foreach (var (key, _) in _host.Services.GetRequiredService<ToolRegistry>().Connections)
        {
            var saved = await store.UpdateAsync(key, new ConnectionUpdate(ConnectionMode.Sandbox, [], null, SimulatedFailure.Persistent), "tests");
            Assert.Equal(ConnectionSaveOutcome.Saved, saved.Outcome);
        }

        var run = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, BusyWorkspaceFixture.MidMarketLead);
        var detail = await _host.ExecuteAsync(run);

        var escalation = Assert.Single(detail.Escalations, e => e.Kind == EscalationKind.ToolFailure);
        var failure = Assert.IsType<JsonObject>(JsonNode.Parse(escalation.ProposedAction!));
        Assert.Equal("tool", failure["failure"]!.GetValue<string>());
        Assert.True(_host.Services.GetRequiredService<ToolRegistry>().IsKnown(failure["tool"]!.GetValue<string>()));
        Assert.True(failure["attempts"]!.GetValue<int>() >= 1);
        Assert.False(string.IsNullOrWhiteSpace(failure["lastError"]!.GetValue<string>()));
        Assert.Contains(failure["tool"]!.GetValue<string>(), escalation.Reason, StringComparison.Ordinal);
    }
}
