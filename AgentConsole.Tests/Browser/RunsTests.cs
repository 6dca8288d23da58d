using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>Runs as an Owner watches and drives them: the live list, the detail timeline, Run now and an escalation decision.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class RunsTests(ConsoleHostFixture host, BrowserFixture browser)
{
    private static JsonObject Lead(int employees) => new()
    {
        ["name"] = "Dana Lee",
        ["email"] = "dana@acme.example",
        ["company"] = "Acme GmbH",
        ["employees"] = employees,
        ["industry"] = "Software",
    };

    private static ILocator Row(IPage page, Guid runId) => page.Locator($"tr:has([data-run-id='{runId}'])");

    private static ILocator Steps(IPage page, string kind) => page.Locator($"[data-testid=timeline-step][data-kind={kind}]");

    [Fact]
    public async Task RunStartedThroughTheApi_AppearsLive_AndItsTimelineShowsTheToolCalls()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Owner);
        await session.ClickNavAsync("Runs");
        await Expect(page.GetByTestId("run-filters")).ToBeVisibleAsync();

        using var api = host.CreateClient(ConsoleHostFixture.AdminApiKey);
        var response = await api.PostAsJsonAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/runs", new JsonObject { ["input"] = Lead(42) });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["runId"]!.GetValue<Guid>();

        // No reload: the page hears about the run from the engine and its chip follows the status.
        var row = Row(page, runId);
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "Succeeded");
        await Expect(row.GetByTestId("run-tool-calls")).ToHaveTextAsync("6");
        await Expect(row).ToContainTextAsync("Inbound lead router");
        await session.ScreenshotAsync("runs", "runs-list");

        await row.GetByTestId("run-link").ClickAsync();

        await Expect(page).ToHaveURLAsync(BrowserSession.PathIs($"/runs/{runId}"));
        // The address changes before the list gives way to the run's page, whose status chip is then the only one.
        await Expect(page.GetByTestId("run-summary")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "Succeeded");
        await Expect(page.GetByTestId("run-model")).ToHaveTextAsync("Offline (deterministic)");
        var toolCalls = Steps(page, "ToolCall");
        await Expect(toolCalls).ToHaveCountAsync(6);
        string[] path = ["crm_find_company", "crm_update_lead", "crm_set_lead_status", "email_send", "calendar_create_event", "chat_notify"];
        for (var i = 0; i < path.Length; i++)
        {
            await Expect(toolCalls.Nth(i)).ToHaveAttributeAsync("data-tool", path[i]);
        }
        var decision = Steps(page, "Decision").First;
        await Expect(decision).ToContainTextAsync("Lead routing");
        await Expect(decision.GetByTestId("step-meta")).ToContainTextAsync("Mid-market sequence");
        await Expect(page.GetByTestId("run-input")).ToContainTextAsync("\"employees\": 42");
        await Expect(page.GetByTestId("run-output")).Not.ToBeEmptyAsync();

        await toolCalls.Nth(1).GetByTestId("step-toggle").ClickAsync();
        await Expect(toolCalls.Nth(1).GetByTestId("step-detail")).ToContainTextAsync("\"arguments\"");
        await session.ScreenshotAsync("runs", "run-detail-succeeded");
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task RunNow_WithALargeCompany_WaitsForAPerson_AndApprovingRecordsTheHumanStep()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Owner);
        await session.GotoAsync($"/agents/{DemoWorkspace.LeadRouterKey}");
        await Expect(page.GetByTestId("granted-tools").GetByTestId("tool-row")).ToHaveCountAsync(6);
        await Expect(page.GetByTestId("engine-route")).ToContainTextAsync("Human review");

        await page.GetByTestId("run-now").ClickAsync();
        var editor = page.GetByTestId("run-input-editor");
        await Expect(editor).ToHaveValueAsync(new Regex("\"employees\": 42"));

        // A syntax error is caught in the dialog, with its position; the text stays for fixing.
        await editor.FillAsync("{\n  \"company\": \"Big Bank\"\n  \"employees\": 1200\n}");
        await page.GetByTestId("run-start").ClickAsync();
        await Expect(page.GetByTestId("run-input-error")).ToContainTextAsync("Line 3, column 3");
        await session.ScreenshotAsync("runs", "run-now-parse-error");

        var lead = Lead(1200);
        // A large account the sandbox CRM knows, so once approved the agent can tell its owning team.
        lead["company"] = "Globex";
        lead["email"] = "dana@globex.example";
        await editor.FillAsync(lead.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        await Expect(page.GetByTestId("run-input-error")).ToHaveCountAsync(0);
        await page.GetByTestId("run-start").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/runs/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "WaitingForHuman");
        await Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Waiting for human");
        var escalation = page.GetByTestId("escalation").First;
        await Expect(escalation).ToHaveAttributeAsync("data-status", "Open");
        await Expect(page.GetByTestId("run-reason")).ToBeVisibleAsync();
        await session.ScreenshotAsync("runs", "run-detail-waiting");

        await escalation.GetByTestId("escalation-comment").FillAsync("Checked with the enterprise team: route it to mid-market.");
        await escalation.GetByTestId("escalation-approve").ClickAsync();

        await Expect(page.GetByTestId("escalation").Filter(new() { HasTextString = "route it to mid-market" })).ToHaveAttributeAsync("data-status", "Approved");
        await Expect(Steps(page, "Human")).ToContainTextAsync("route it to mid-market");
        await Expect(page.GetByTestId("run-status")).Not.ToHaveAttributeAsync("data-status", "WaitingForHuman");
        await session.ScreenshotAsync("runs", "run-detail-approved");

        var runId = Guid.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..]);
        await session.ClickNavAsync("Runs");
        await Expect(Row(page, runId)).ToBeVisibleAsync();
        await session.ScreenshotAsync("runs", "runs-list-after-approval");
        session.AssertNoBrowserErrors();
    }
}
