using AgentConsole.Engine.Access;
using AgentConsole.Engine.Alerts;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>Alerts in a real browser: a Manager acknowledges a firing alert; an Owner's bad rule gets messages at the fields.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class AlertsTests(ConsoleHostFixture host, BrowserFixture browser)
{
    private async Task<(string AgentKey, AlertRule Rule)> FiringAlertAsync()
    {
        var agentKey = $"browser-alerts-{Guid.NewGuid():N}"[..28];
        await Alerts.AlertRuns.SeedAsync(host.Services, agentKey, succeeded: 3, failed: 9, cost: 0.02m);

        var rule = (await host.Services.GetRequiredService<AlertRuleCatalog>().CreateAsync(new AlertRuleEdit
        {
            Name = $"Browser errors {agentKey[^6..]}", Kind = AlertKind.ErrorRate, AgentKey = null, Parameters = new() { ThresholdPercent = 50, WindowMinutes = 60 },
        }, "tests")).Rule!;
        await host.Services.GetRequiredService<AlertEvaluator>().EvaluateAsync();
        return (agentKey, rule);
    }

    [Fact]
    public async Task Manager_SeesTheFiringAlertWithABadge_AndAcknowledgesIt()
    {
        var (agentKey, rule) = await FiringAlertAsync();
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Manager);

        await Expect(page.GetByTestId("alert-badge")).ToBeVisibleAsync();
        await session.ClickNavAsync("Alerts");
        var row = page.Locator("[data-testid=alert]").Filter(new LocatorFilterOptions { HasText = rule.Name }).Filter(new LocatorFilterOptions { HasText = agentKey });
        await Expect(row).ToContainTextAsync($"Error rate of {agentKey} is 75 % (9 of 12 ended runs failed or hit a limit)");
        await session.ScreenshotAsync("alerts", "firing");

        await row.GetByTestId("alert-acknowledge").ClickAsync();
        await Expect(row.GetByTestId("alert-acknowledged")).ToContainTextAsync("Acknowledged by manager@");
        await session.ScreenshotAsync("alerts", "acknowledged");

        await page.GetByTestId("tab-Rules").ClickAsync();
        await Expect(page.Locator($"[data-testid=rule][data-rule='{rule.Name}']")).ToContainTextAsync("over 50 % of ≥ 10 ended runs in 60 min");
        await Expect(page.GetByTestId("rule-add")).ToHaveCountAsync(0);
        session.AssertNoBrowserErrors();
        await host.Services.GetRequiredService<AlertRuleCatalog>().DeleteAsync(rule.Id, "tests");
    }

    [Fact]
    public async Task Owner_AddsARule_BadValuesShowAtTheirFields_ThenItSaves()
    {
        var name = $"Owner rule {Guid.NewGuid():N}"[..20];
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Owner);
        await session.ClickNavAsync("Alerts");
        await page.GetByTestId("tab-Rules").ClickAsync();

        await page.GetByTestId("rule-add").ClickAsync();
        await page.GetByTestId("rule-name").FillAsync(name);
        await page.GetByTestId("rule-threshold-percent").FillAsync("120");
        await page.GetByTestId("rule-save").ClickAsync();
        await BrowserSession.ExpectFieldErrorAsync(page.GetByTestId("rule-threshold-percent"), "A percentage is between 0 and 100.");
        await session.ScreenshotAsync("alerts", "rule-invalid");

        await page.GetByTestId("rule-threshold-percent").FillAsync("30");
        await page.GetByTestId("rule-save").ClickAsync();
        await Expect(page.Locator($"[data-testid=rule][data-rule='{name}']")).ToContainTextAsync("over 30 % of ≥ 10 ended runs in 60 min");
        await session.ScreenshotAsync("alerts", "rules");
        session.AssertNoBrowserErrors();
        var saved = (await host.Services.GetRequiredService<AlertRuleCatalog>().ListAsync()).Single(r => r.Name == name);
        await host.Services.GetRequiredService<AlertRuleCatalog>().DeleteAsync(saved.Id, "tests");
    }
}
