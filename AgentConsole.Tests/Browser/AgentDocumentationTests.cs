using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Agents.Scoping;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>An agent's documentation page and its scoping section, as a Manager reads them and an Owner fills them in.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class AgentDocumentationTests(ConsoleHostFixture host, BrowserFixture browser)
{
    [Fact]
    public async Task Manager_OpensTheDocumentationFromTheAgentPage_AndDownloadsItsMarkdown()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Manager);
        await session.GotoAsync($"/agents/{DemoWorkspace.LeadRouterKey}");

        await page.GetByTestId("agent-documentation").ClickAsync();

        await Expect(page).ToHaveURLAsync(BrowserSession.PathIs($"/agents/{DemoWorkspace.LeadRouterKey}/documentation"));
        await Expect(session.Heading).ToHaveTextAsync("Inbound lead router — documentation");
        await Expect(page.GetByTestId("doc-tool")).ToHaveCountAsync(DemoWorkspace.LeadRouter().Tools.Count);
        await Expect(page.GetByTestId("doc-rule")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("prompt-version")).ToHaveTextAsync("v1");
        await session.ScreenshotAsync(Roles.Manager, "agent-documentation");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-markdown").ClickAsync());
        var markdown = await File.ReadAllTextAsync((await download.PathAsync())!);

        Assert.Equal("lead-router-documentation.md", download.SuggestedFilename);
        Assert.StartsWith("# Inbound lead router — agent documentation", markdown, StringComparison.Ordinal);
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task Owner_RecordsTheScoping_AfterFixingAFieldError_AndSeesTheBaseline()
    {
        var key = $"scoped-{Guid.NewGuid():N}"[..20];
        await host.Services.GetRequiredService<AgentCatalog>().CreateAsync(new AgentDefinition { Key = key, Name = "Invoice triage" }, "tests@agentconsole.local");
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Owner);
        await session.GotoAsync($"/agents/{key}");
        var hours = page.GetByTestId("scoping-hours");

        await page.GetByTestId("scoping-rate").FillAsync("45");
        await hours.FillAsync("200");
        await page.GetByTestId("scoping-volume").FillAsync("150");
        await page.GetByTestId("scoping-volume").PressAsync("Tab");
        await page.GetByTestId("save-scoping").ClickAsync();

        await Expect(page.GetByTestId("scoping-problem")).ToBeVisibleAsync();
        await BrowserSession.ExpectFieldErrorAsync(hours, "Hours per week must be more than 0 and at most 168 (a week has 168 hours).");
        await session.ScreenshotAsync(Roles.Owner, "scoping-validation");

        await hours.FillAsync("30");
        await hours.PressAsync("Tab");
        await page.GetByTestId("save-scoping").ClickAsync();

        // $45 × 30 h × 50 weeks.
        await Expect(page.GetByTestId("annual-manual-cost")).ToHaveTextAsync("$67,500");
        await Expect(page.GetByTestId("scoping-fit")).ToHaveTextAsync("Worth exploring an agent");
        await Expect(page.GetByTestId("pilot-verdict")).ToContainTextAsync("No pilot start date");
        var stored = await host.Services.GetRequiredService<AgentScopings>().FindAsync(key);
        Assert.Equal((45m, 30m, 150), (stored!.HourlyRateUsd, stored.HoursPerWeek, stored.WeeklyVolume));

        // Ten runs two days ago, one failed: a pilot that started five days ago is judged on them.
        await SeedRunsAsync(key, DateTimeOffset.UtcNow.AddDays(-2), succeeded: 9, failed: 1);
        await page.GetByTestId("scoping-pilot-start").FillAsync(DateTimeOffset.UtcNow.AddDays(-5).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByTestId("scoping-pilot-start").PressAsync("Tab");
        await page.GetByTestId("save-scoping").ClickAsync();

        await Expect(page.GetByTestId("pilot-scorecard")).ToHaveAttributeAsync("data-verdict", "Ambiguous");
        await Expect(page.GetByTestId("pilot-runs").GetByTestId("stat-value")).ToHaveTextAsync("10");
        await Expect(page.GetByTestId("pilot-error-rate").GetByTestId("stat-value")).ToHaveTextAsync("10%");
        await session.ScreenshotAsync(Roles.Owner, "scoping-saved");
        session.AssertNoBrowserErrors();
    }

    private async Task SeedRunsAsync(string agentKey, DateTimeOffset at, int succeeded, int failed)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync();
        for (var i = 0; i < succeeded + failed; i++)
        {
            var run = Run.Create(agentKey, "Invoice triage", "{}", "tests@agentconsole.local", at.AddMinutes(i));
            run.Start("offline", null, at.AddMinutes(i));
            run.RecordModelCall(1_000, 200, 0.004m, estimated: false);
            if (i < succeeded)
            {
                run.Succeed("done", at.AddMinutes(i + 1));
            }
            else
            {
                run.Fail("The CRM refused the update.", at.AddMinutes(i + 1));
            }

            db.Runs.Add(run);
        }

        await db.SaveChangesAsync();
    }
}
