using AgentConsole.Components.Pages.Evaluations;
using AgentConsole.Components.Pages.Prompts;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Models;
using AgentConsole.Tests.Evaluations;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components.Evaluations;

/// <summary>The demo workspace with a default test set of six lead-router cases; no job server, so tests run the case jobs.</summary>
public sealed class EvaluationWorkspaceFixture : WorkspaceFixture
{
    public Guid SetId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Host.QueryAsync(db => db.TestSets.Where(s => s.AgentKey == DemoWorkspace.LeadRouterKey).ExecuteUpdateAsync(s => s.SetProperty(t => t.IsDefault, false)));
        SetId = await EvaluationTestSets.CreateAsync(Host.Services, DemoWorkspace.LeadRouterKey, EvaluationTestSets.LeadRouterCases(), "Panel tests", isDefault: true);
    }

    public void RegisterEvaluations(IServiceCollection services)
    {
        Register(services);
        services.AddSingleton(Host.Services.GetRequiredService<AgentEvaluations>());
        services.AddSingleton(Host.Services.GetRequiredService<EvaluationFeed>());
        services.AddSingleton(Host.Services.GetRequiredService<PublishGate>());
        services.AddSingleton(Host.Services.GetRequiredService<ModelProviders>());
    }
}

/// <summary>The workbench's Evaluate panel and the evaluation page, over the real engine.</summary>
public sealed class EvaluationPanelTests(EvaluationWorkspaceFixture workspace) : MudTestContext(workspace.RegisterEvaluations), IClassFixture<EvaluationWorkspaceFixture>
{
    private void SignIn(string role)
    {
        Auth.SetAuthorized($"{role.ToLowerInvariant()}@example.com");
        Auth.SetRoles(role);
        Auth.SetPolicies([.. AgentConsole.Access.Policies.RolesByPolicy.Where(p => p.Value.Contains(role)).Select(p => p.Key)]);
    }

    private async Task RunPendingCasesAsync(int? count = null)
    {
        var runner = workspace.Host.Services.GetRequiredService<EvaluationCaseRunner>();
        var pending = await workspace.Host.QueryAsync(db => db.EvaluationCases.Where(c => c.Verdict == CaseVerdict.Pending).OrderBy(c => c.Sequence).Select(c => c.Id).ToListAsync());
        foreach (var id in pending.Take(count ?? pending.Count))
        {
            await runner.RunAsync(id);
        }
    }

    [Fact]
    public async Task Panel_StartsAnEvaluation_MovesItsProgressLive_AndShowsScoresGateAndVerdicts()
    {
        SignIn(Engine.Access.Roles.Owner);
        var panel = Render<EvaluationPanel>(p => p.Add(x => x.AgentKey, DemoWorkspace.LeadRouterKey));
        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=eval-start]")));
        // The demo agent runs on the Offline model: the panel says what an evaluation can and cannot tell.
        Assert.Contains("prompt wording does not change its behaviour", panel.Find("[data-testid=offline-model-note]").TextContent, StringComparison.Ordinal);

        await panel.Find("[data-testid=eval-start]").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.Equal("0 of 6 case(s) done", panel.Find("[data-testid=eval-progress-text]").TextContent.Trim()));
        await RunPendingCasesAsync(2);
        panel.WaitForAssertion(() => Assert.Equal("2 of 6 case(s) done", panel.Find("[data-testid=eval-progress-text]").TextContent.Trim()));
        await RunPendingCasesAsync();
        panel.WaitForAssertion(() => Assert.Equal("Completed", panel.Find("[data-testid=eval-status]").TextContent.Trim()));
        Assert.Empty(panel.FindAll("[data-testid=eval-progress]"));
        Assert.Contains("100.0 %", panel.Find("[data-testid=eval-pass-rate]").TextContent, StringComparison.Ordinal);
        Assert.Contains("16.7 %", panel.Find("[data-testid=eval-escalation-rate]").TextContent, StringComparison.Ordinal);
        Assert.Contains("may be published", panel.Find("[data-testid=eval-gate]").TextContent, StringComparison.Ordinal);
        Assert.Equal(6, panel.FindAll("[data-testid=eval-verdict]").Count(c => c.TextContent.Trim() == "Passed"));
        Assert.Contains("nothing to compare", panel.Find("[data-testid=eval-comparison]").TextContent, StringComparison.Ordinal);
        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=eval-history-row]")));
    }

    [Fact]
    public async Task Panel_HidesTheStartButton_FromAManager()
    {
        SignIn(Engine.Access.Roles.Manager);

        var panel = Render<EvaluationPanel>(p => p.Add(x => x.AgentKey, DemoWorkspace.LeadRouterKey));

        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=eval-test-set]")));
        Assert.Empty(panel.FindAll("[data-testid=eval-start]"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Page_ShowsAnEvaluationsVerdictsWithReasons_AndLinksEachCaseToItsRun()
    {
        var started = await workspace.Host.Services.GetRequiredService<AgentEvaluations>()
            .StartAsync(DemoWorkspace.LeadRouterKey, new EvaluationRequest(TestSetId: workspace.SetId), "owner@example.com");
        await RunPendingCasesAsync();
        SignIn(Engine.Access.Roles.Manager);

        var page = Render<EvaluationDetailPage>(p => p.Add(x => x.Id, started.EvaluationId!.Value));

        page.WaitForAssertion(() => Assert.Equal("Completed", page.Find("[data-testid=eval-status]").TextContent.Trim()));
        Assert.Equal(5, page.FindAll("[data-testid=eval-cases] a[href^='/runs/']").Count);
        Assert.Equal(6, page.FindAll("[data-testid=eval-verdict]").Count);
    }
}
