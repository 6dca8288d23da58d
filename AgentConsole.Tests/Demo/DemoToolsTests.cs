using System.Text.Json.Nodes;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.Calendar;
using AgentConsole.Engine.Tools.Chat;
using AgentConsole.Engine.Tools.Crm;
using AgentConsole.Engine.Tools.Email;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AgentConsole.Tests.Runs.FakeProviderRuns;

namespace AgentConsole.Tests.Demo;

/// <summary>
/// The demo as a newcomer sees it with the Offline model: complete runs whose effects land in the sandbox CRM, outbox,
/// calendar and chat; one approval (an e-mail to an account the CRM marks high-stakes); and a persistent-failure
/// escalation when a sandbox connection is set to fail.
/// </summary>
public sealed class DemoToolsTests : IDisposable
{
    private const string InitechLead = """{"name":"Ian Tran","email":"ian@initech.example","company":"Initech","employees":350}""";

    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private Task<RunHost> StartAsync() => RunHost.StartAsync(_folders.New(), null,
        // Retries stay real but short, so the persistent failure escalates within the test.
        ("AgentConsole:Tools:Resilience:MaxRetries", "2"),
        ("AgentConsole:Tools:Resilience:BaseDelay", "00:00:00.010"),
        ("AgentConsole:Tools:Resilience:MaxDelay", "00:00:00.050"));

    private static Task<int> EffectsAsync<T>(RunHost host, Guid runId) where T : class =>
        host.QueryAsync(db => db.Set<T>().CountAsync(e => EF.Property<Guid?>(e, "RunId") == runId));

    [Fact]
    public async Task DemoRun_CompletesTheCommonPath_WithItsEffectsInTheSandbox()
    {
        await using var host = await StartAsync();
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var detail = await host.ExecuteAsync(id);

        Assert.True(detail.Run.Status == RunStatus.Succeeded, Timeline(detail));
        Assert.Equal(
            [CrmTools.FindCompany, CrmTools.UpdateLead, CrmTools.SetLeadStatus, EmailConnector.SendTool, CalendarConnector.CreateEventTool, ChatConnector.NotifyTool],
            ToolSteps(detail).Select(s => s.ToolName));
        Assert.All(ToolSteps(detail), s => Assert.False(s.IsError, s.Title));
        Assert.Equal(1, await EffectsAsync<OutboxEmail>(host, id));
        Assert.Equal(1, await EffectsAsync<CalendarEvent>(host, id));
        Assert.Equal(1, await EffectsAsync<ChatNotification>(host, id));
        Assert.Equal(2, await EffectsAsync<CrmChange>(host, id));
    }

    [Fact]
    public async Task DemoRun_WaitsForApproval_BeforeEmailingAHighStakesAccount()
    {
        await using var host = await StartAsync();
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, InitechLead);

        var waiting = await host.ExecuteAsync(id);

        Assert.True(waiting.Run.Status == RunStatus.WaitingForHuman, Timeline(waiting));
        var escalation = Assert.Single(waiting.Escalations);
        Assert.Equal(EscalationKind.Approval, escalation.Kind);
        var proposed = JsonNode.Parse(escalation.ProposedAction!)!;
        Assert.Equal(EmailConnector.SendTool, proposed["tool"]!.GetValue<string>());
        Assert.Contains("Initech", proposed["stakes"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await EffectsAsync<OutboxEmail>(host, id));

        await host.Escalations.ResolveAsync(escalation.Id, EscalationAction.Approve, null, "reviewer@agentconsole.local");
        var invite = await host.ExecuteAsync(id);

        // The meeting invitation reaches the same people, so it waits for a person too.
        Assert.True(invite.Run.Status == RunStatus.WaitingForHuman, Timeline(invite));
        Assert.Equal(1, await EffectsAsync<OutboxEmail>(host, id));
        var second = Assert.Single(invite.Escalations, e => e.Status == EscalationStatus.Open);
        Assert.Equal(CalendarConnector.CreateEventTool, JsonNode.Parse(second.ProposedAction!)!["tool"]!.GetValue<string>());
        await host.Escalations.ResolveAsync(second.Id, EscalationAction.Approve, null, "reviewer@agentconsole.local");
        var done = await host.ExecuteAsync(id);

        Assert.True(done.Run.Status == RunStatus.Succeeded, Timeline(done));
        Assert.Equal(1, await EffectsAsync<OutboxEmail>(host, id));
        Assert.Equal(1, await EffectsAsync<CalendarEvent>(host, id));
    }

    [Fact]
    public async Task DemoRun_EscalatesWithTheFailure_WhenASandboxConnectionIsSetToFail()
    {
        await using var host = await StartAsync();
        var connections = host.Services.GetRequiredService<ConnectionStore>();
        var saved = await connections.UpdateAsync(CalendarConnector.ConnectionKey,
            new ConnectionUpdate(ConnectionMode.Sandbox, [], null, SimulatedFailure.Persistent), "admin@agentconsole.local");
        Assert.Equal(ConnectionSaveOutcome.Saved, saved.Outcome);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var detail = await host.ExecuteAsync(id);

        Assert.True(detail.Run.Status == RunStatus.WaitingForHuman, Timeline(detail));
        var escalation = Assert.Single(detail.Escalations);
        Assert.Equal(EscalationKind.ToolFailure, escalation.Kind);
        Assert.Contains(CalendarConnector.CreateEventTool, escalation.Reason, StringComparison.Ordinal);
        Assert.Contains("3 times", escalation.Reason, StringComparison.Ordinal);
        Assert.Equal(3, detail.Steps.Count(s => s.Title.StartsWith($"{CalendarConnector.CreateEventTool} attempt", StringComparison.Ordinal)));
        Assert.Equal(0, await EffectsAsync<CalendarEvent>(host, id));
        Assert.Equal(0, await EffectsAsync<ChatNotification>(host, id));
    }
}
