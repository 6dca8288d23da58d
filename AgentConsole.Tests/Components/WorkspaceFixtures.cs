using AgentConsole.Components.Layout;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Components;

/// <summary>A real engine host (SQLite, demo workspace unless a subclass says otherwise, no job server) whose services the pages use.</summary>
public abstract class WorkspaceFixture : IAsyncLifetime
{
    private readonly string _folder = RunHost.NewFolder();

    public RunHost Host { get; private set; } = default!;

    protected virtual (string, string?)[] Settings => [];

    public virtual async Task InitializeAsync() => Host = await RunHost.StartAsync(_folder, null, Settings);

    public void Register(IServiceCollection services)
    {
        services.AddSingleton(Host.Runs);
        services.AddSingleton(Host.Services.GetRequiredService<RunNotifications>());
        services.AddSingleton(Host.Services.GetRequiredService<AgentCatalog>());
        services.AddSingleton(Host.Services.GetRequiredService<RunStatistics>());
        services.AddSingleton(Host.Services.GetRequiredService<AgentConsole.Engine.Monitoring.RunMetrics>());
        services.AddSingleton(Host.Services.GetRequiredService<IOptions<AgentConsole.Engine.Monitoring.MonitoringOptions>>());
        services.AddSingleton(Host.Services.GetRequiredService<ReviewDesk>());
        services.AddSingleton(Host.Services.GetRequiredService<EscalationResolver>());
        services.AddSingleton(Host.Services.GetRequiredService<EscalationFeed>());
        services.AddSingleton(Host.Services.GetRequiredService<IOptions<RunOptions>>());
        services.AddSingleton(Host.Services.GetRequiredService<TimeProvider>());
        services.AddSingleton(Host.Services.GetRequiredService<AgentConsole.Engine.Tools.ToolRegistry>());
        services.AddSingleton(Host.Services.GetRequiredService<AgentConsole.Engine.Tools.ConnectionStore>());
        services.AddSingleton(Host.Services.GetRequiredService<AgentConsole.Engine.Tools.Crm.CrmAdministration>());
        services.AddSingleton(Host.Services.GetRequiredService<AgentConsole.Engine.Notifications.OpenEscalations>());
        services.AddSingleton(Host.Services.GetRequiredService<AgentConsole.Engine.Notifications.InAppNotifications>());
        services.AddSingleton(Host.Services.GetRequiredService<AgentConsole.Engine.Notifications.NotificationChannels>());
        services.AddSingleton(Host.Services.GetRequiredService<AgentConsole.Engine.Notifications.NotificationDeliveries>());
        services.AddSingleton(Host.Services.GetRequiredService<AgentConsole.Engine.Alerts.AlertBoard>());
        services.AddSingleton(Host.Services.GetRequiredService<AgentConsole.Engine.Alerts.AlertFeed>());
        services.AddSingleton(Host.Services.GetRequiredService<AgentConsole.Engine.Alerts.AlertRuleCatalog>());
        services.AddSingleton(Host.Services.GetRequiredService<AgentConsole.Engine.Evaluations.TestSets>());
        services.AddSingleton(Host.Services.GetRequiredService<IOptions<AgentConsole.Engine.Evaluations.TestSetOptions>>());
        services.AddScoped<BrowserTime>();
        services.AddLogging();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        RunHost.DeleteFolder(_folder);
    }
}

/// <summary>A fresh installation without the demo workspace: no agents, no runs, no escalations.</summary>
public sealed class EmptyWorkspaceFixture : WorkspaceFixture
{
    protected override (string, string?)[] Settings => [("AgentConsole:Demo:Seed", "false")];
}

/// <summary>The demo workspace after three runs: one succeeded, one waiting for a person (escalated), one still queued.</summary>
public sealed class BusyWorkspaceFixture : WorkspaceFixture
{
    public const string MidMarketLead = """{"name":"Dana Lee","email":"dana@acme.example","company":"Acme GmbH","employees":42}""";
    public const string EnterpriseLead = """{"name":"Ravi Patel","email":"ravi@globex.example","company":"Globex","employees":1200}""";

    public Guid Succeeded { get; private set; }
    public Guid Escalated { get; private set; }
    public Guid Queued { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Succeeded = await Host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        await Host.ExecuteAsync(Succeeded);
        Escalated = await Host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead);
        var waiting = await Host.ExecuteAsync(Escalated);
        if (waiting.Run.Status != RunStatus.WaitingForHuman || waiting.Escalations.Count != 1)
        {
            throw new InvalidOperationException("The enterprise lead did not escalate: " + FakeProviderRuns.Timeline(waiting));
        }

        Queued = await Host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
    }
}
