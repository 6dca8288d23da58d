using AgentConsole.Components.Pages.Agents;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents.Scoping;
using AgentConsole.Engine.Demo;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components.Agents;

/// <summary>The seeded demo workspace with the scoping services the agent page's section uses.</summary>
public sealed class ScopingWorkspaceFixture : WorkspaceFixture
{
    public void RegisterScoping(IServiceCollection services)
    {
        Register(services);
        services.AddSingleton(Host.Services.GetRequiredService<AgentScopings>());
        services.AddSingleton(Host.Services.GetRequiredService<AgentScorecards>());
    }
}

public sealed class ScopingSectionTests(ScopingWorkspaceFixture workspace)
    : MudTestContext(workspace.RegisterScoping), IClassFixture<ScopingWorkspaceFixture>
{
    [Fact]
    public async Task Section_ShowsFieldErrors_ThenSavesTheScoping_AndShowsTheBaselineAndScorecard()
    {
        Auth.SetAuthorized("owner@agentconsole.local");
        Auth.SetRoles(Roles.Owner);
        var section = Render<ScopingSection>(p => p.Add(c => c.AgentKey, DemoWorkspace.LeadRouterKey).Add(c => c.CanEdit, true));
        section.WaitForAssertion(() => Assert.NotEmpty(section.FindAll("[data-testid=scoping-empty]")));
        Assert.Equal(nameof(PilotVerdict.NotStarted), section.Find("[data-testid=pilot-scorecard]").GetAttribute("data-verdict"));

        section.Find("input[data-testid=scoping-rate]").Change("50");
        section.Find("input[data-testid=scoping-hours]").Change("200");
        section.Find("input[data-testid=scoping-volume]").Change("0");
        await section.Find("[data-testid=save-scoping]").ClickAsync(new());

        section.WaitForAssertion(() => Assert.NotEmpty(section.FindAll("[data-testid=scoping-problem]")));
        Assert.Contains("a week has 168 hours", section.Markup, StringComparison.Ordinal);
        Assert.Contains("at least 1 case", section.Markup, StringComparison.Ordinal);
        Assert.Null(await workspace.Host.Services.GetRequiredService<AgentScopings>().FindAsync(DemoWorkspace.LeadRouterKey));

        section.Find("input[data-testid=scoping-hours]").Change("12");
        section.Find("input[data-testid=scoping-volume]").Change("90");
        section.Find("input[data-testid=scoping-pilot-start]").Change("2026-01-05");
        await section.Find("[data-testid=save-scoping]").ClickAsync(new());

        section.WaitForAssertion(() => Assert.NotEmpty(section.FindAll("[data-testid=scoping-baseline]")));
        Assert.Empty(section.FindAll("[data-testid=scoping-problem]"));
        // $50 × 12 h × 50 weeks.
        Assert.Equal("$30,000", section.Find("[data-testid=annual-manual-cost]").TextContent.Trim());
        Assert.Equal("Worth exploring an agent", section.Find("[data-testid=scoping-fit]").TextContent.Trim());
        var stored = (await workspace.Host.Services.GetRequiredService<AgentScopings>().FindAsync(DemoWorkspace.LeadRouterKey))!;
        Assert.Equal((50m, 12m, 90, new DateOnly(2026, 1, 5), "owner@agentconsole.local"), (stored.HourlyRateUsd, stored.HoursPerWeek, stored.WeeklyVolume, stored.PilotStart, stored.UpdatedBy));
        // The demo workspace has no runs, so the pilot that started in January has nothing to judge yet.
        Assert.Equal(nameof(PilotVerdict.NoRuns), section.Find("[data-testid=pilot-scorecard]").GetAttribute("data-verdict"));
    }

    [Fact]
    public void Section_IsReadOnly_ForRolesThatMayNotEditAgents()
    {
        Auth.SetAuthorized("manager@agentconsole.local");
        Auth.SetRoles(Roles.Manager);

        var section = Render<ScopingSection>(p => p.Add(c => c.AgentKey, DemoWorkspace.LeadRouterKey).Add(c => c.CanEdit, false));

        section.WaitForAssertion(() => Assert.NotEmpty(section.FindAll("[data-testid=pilot-scorecard]")));
        Assert.Empty(section.FindAll("[data-testid=save-scoping]"));
        Assert.True(section.Find("input[data-testid=scoping-rate]").HasAttribute("readonly"));
    }
}
