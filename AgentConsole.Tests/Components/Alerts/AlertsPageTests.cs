using AgentConsole.Components.Pages.Alerts;
using AgentConsole.Engine.Alerts;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components.Alerts;

/// <summary>An installation without the demo or the default alert rules: each test adds the rules it needs.</summary>
public sealed class AlertsWorkspaceFixture : WorkspaceFixture
{
    protected override (string, string?)[] Settings =>
        [("AgentConsole:Demo:Seed", "false"), ("AgentConsole:Alerts:SeedDefaultRules", "false"), ("AgentConsole:Notifications:ProcessInBackground", "false")];
}

/// <summary>The alerts page: the rules editor (messages at the field, a saved rule in the list, read-only for Managers) and acknowledging.</summary>
public sealed class AlertsPageTests(AlertsWorkspaceFixture workspace) : MudTestContext(workspace.Register), IClassFixture<AlertsWorkspaceFixture>
{
    private AlertRuleCatalog Rules => workspace.Host.Services.GetRequiredService<AlertRuleCatalog>();

    private IRenderedComponent<AlertRulesPanel> RenderRules(bool canEdit)
    {
        Auth.SetAuthorized("owner@example.com");
        var panel = Render<AlertRulesPanel>(p => p.Add(x => x.CanEdit, canEdit));
        panel.WaitForAssertion(() => Assert.Empty(panel.FindAll(".mud-progress-linear")));
        return panel;
    }

    private static string FieldError(IRenderedComponent<AlertRulesPanel> panel, string testId) =>
        panel.Find($"[data-testid=rule-form] .mud-input-control:has(input[data-testid={testId}]) .mud-input-helper-text.mud-input-error").TextContent.Trim();

    [Fact]
    public async Task RulesEditor_ShowsEachMessageAtItsField_AndSavesNothing_WhenTheRuleIsBad()
    {
        var before = (await Rules.ListAsync()).Count;
        var panel = RenderRules(canEdit: true);
        panel.Find("[data-testid=rule-add]").Click();
        panel.Find("input[data-testid=rule-name]").Change("");
        panel.Find("input[data-testid=rule-threshold-percent]").Change("150");
        panel.Find("input[data-testid=rule-window]").Change("0");

        panel.Find("[data-testid=rule-save]").Click();

        panel.WaitForAssertion(() => Assert.Equal("Give the rule a name.", FieldError(panel, "rule-name")));
        Assert.Equal("A percentage is between 0 and 100.", FieldError(panel, "rule-threshold-percent"));
        Assert.Contains("between 1 minute and", FieldError(panel, "rule-window"), StringComparison.Ordinal);
        Assert.Equal("Correct the marked fields.", panel.Find("[data-testid=rule-form-problem]").TextContent.Trim());
        Assert.Equal(before, (await Rules.ListAsync()).Count);
    }

    [Fact]
    public async Task RulesEditor_SavesAGoodRule_ListsItWithItsCondition_AndEditsIt()
    {
        var panel = RenderRules(canEdit: true);
        panel.Find("[data-testid=rule-add]").Click();
        panel.Find("input[data-testid=rule-name]").Change("Lead router errors");
        panel.Find("input[data-testid=rule-threshold-percent]").Change("25");
        panel.Find("input[data-testid=rule-window]").Change("30");

        panel.Find("[data-testid=rule-save]").Click();

        panel.WaitForAssertion(() => Assert.Empty(panel.FindAll("[data-testid=rule-form]")));
        var row = panel.Find("[data-testid=rule][data-rule='Lead router errors']");
        Assert.Equal("over 25 % of ≥ 10 ended runs in 30 min", row.QuerySelector("[data-testid=rule-condition]")!.TextContent.Trim());
        var saved = (await Rules.ListAsync()).Single(r => r.Name == "Lead router errors");
        Assert.Equal((AlertKind.ErrorRate, 25.0, 30, "owner@example.com"), (saved.Kind, saved.Parameters.ThresholdPercent, saved.Parameters.WindowMinutes, saved.CreatedBy));

        panel.Find("[data-testid=rule][data-rule='Lead router errors'] [data-testid=rule-edit]").Click();
        Assert.Equal("25", panel.Find("input[data-testid=rule-threshold-percent]").GetAttribute("value"));
        panel.Find("input[data-testid=rule-threshold-percent]").Change("40");
        panel.Find("[data-testid=rule-save]").Click();

        panel.WaitForAssertion(() => Assert.Equal("over 40 % of ≥ 10 ended runs in 30 min",
            panel.Find("[data-testid=rule][data-rule='Lead router errors'] [data-testid=rule-condition]").TextContent.Trim()));
        await Rules.DeleteAsync(saved.Id, "tests");
    }

    [Fact]
    public async Task RulesEditor_IsReadOnly_ForManagers()
    {
        var rule = (await Rules.CreateAsync(new AlertRuleEdit { Name = "Overdue for managers", Kind = AlertKind.EscalationsOverdue }, "tests")).Rule!;
        var panel = RenderRules(canEdit: false);

        Assert.NotEmpty(panel.FindAll("[data-testid=rule][data-rule='Overdue for managers']"));
        Assert.Empty(panel.FindAll("[data-testid=rule-add]"));
        Assert.Empty(panel.FindAll("[data-testid=rule-edit]"));
        Assert.Empty(panel.FindAll("[data-testid=rule-delete]"));
        await Rules.DeleteAsync(rule.Id, "tests");
    }

    [Fact]
    public async Task AlertsPage_ListsTheFiringAlert_AcknowledgeNamesTheUser_AndHistoryShowsItOnceResolved()
    {
        var rule = (await Rules.CreateAsync(new AlertRuleEdit
        {
            Name = "Page errors", Kind = AlertKind.ErrorRate, Parameters = new() { ThresholdPercent = 20, WindowMinutes = 60 },
        }, "tests")).Rule!;
        await AgentConsole.Tests.Alerts.AlertRuns.SeedAsync(workspace.Host.Services, "page-agent", succeeded: 0, failed: 10);

        var evaluator = workspace.Host.Services.GetRequiredService<AlertEvaluator>();
        await evaluator.EvaluateAsync();
        Auth.SetAuthorized("manager@example.com");
        Auth.SetPolicies(AgentConsole.Access.Policies.Alerts);

        var page = Render<AlertsPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=alert][data-status=Firing]")));
        Assert.Contains("Error rate of page-agent is 100 %", page.Find("[data-testid=alert-message]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=alert-acknowledge]").Click();
        page.WaitForAssertion(() => Assert.Equal("Acknowledged by manager@example.com", page.Find("[data-testid=alert-acknowledged]").TextContent.Trim()));

        // Resolving elsewhere (the job) reaches the open page live.
        await Rules.DeleteAsync(rule.Id, "tests");
        await evaluator.EvaluateAsync();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=alert]")));

        page.Find("[data-testid=tab-History]").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=alert][data-status=Resolved]")));
    }
}
