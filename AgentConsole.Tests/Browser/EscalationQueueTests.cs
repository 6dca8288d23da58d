using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>A reviewer clears a queue of escalated large accounts with the keyboard only, and the runs go on or end.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class EscalationQueueTests(ConsoleHostFixture host, BrowserFixture browser)
{
    private static ILocator Row(IPage page, Guid escalationId) => page.Locator($"[data-testid=escalation-row][data-escalation-id='{escalationId}']");

    private static ILocator Selected(IPage page) => page.Locator("[data-testid=escalation-row][data-selected=true]");

    /// <summary>Starts a lead-router run for a large account: the decision routes it to a person.</summary>
    private static async Task<Guid> StartLargeAccountAsync(HttpClient api, int n)
    {
        var lead = new JsonObject
        {
            ["name"] = $"Queue Lead {n}",
            ["email"] = $"lead{n}@globex.example",
            ["company"] = "Globex",
            ["employees"] = 1200 + n,
            ["industry"] = "Banking",
        };
        var response = await api.PostAsJsonAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/runs", new JsonObject { ["input"] = lead });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["runId"]!.GetValue<Guid>();
    }

    /// <summary>Moves the selection with j/k until it is on one of <paramref name="ours"/> (other tests may leave cases in the shared queue).</summary>
    private static async Task<Guid> SelectOneOfAsync(IPage page, IReadOnlyCollection<Guid> ours)
    {
        foreach (var key in new[] { "j", "k" })
        {
            string? last = null;
            for (var i = 0; i < 100; i++)
            {
                await Expect(Selected(page)).ToHaveCountAsync(1);
                var id = await Selected(page).GetAttributeAsync("data-escalation-id");
                if (id is not null && ours.Contains(Guid.Parse(id)))
                {
                    await Expect(page.GetByTestId("escalation-detail")).ToHaveAttributeAsync("data-escalation-id", id);
                    return Guid.Parse(id);
                }

                if (id == last)
                {
                    break;
                }

                last = id;
                await page.Keyboard.PressAsync(key);
                await Expect(Selected(page)).Not.ToHaveAttributeAsync("data-escalation-id", id!);
            }
        }

        throw new InvalidOperationException("None of the test's escalations is in the list.");
    }

    private async Task<Run> WaitForRunAsync(Guid runId, Func<RunStatus, bool> done)
    {
        var runs = host.Services.GetRequiredService<AgentRuns>();
        var until = DateTime.UtcNow.AddMilliseconds(BrowserFixture.TimeoutMs);
        while (true)
        {
            var run = (await runs.GetAsync(runId))!.Run;
            if (done(run.Status) || DateTime.UtcNow > until)
            {
                return run;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Reviewer_ClearsThreeEscalations_WithTheKeyboardOnly_AndTheRunsContinueOrEnd()
    {
        using var api = host.CreateClient(ConsoleHostFixture.AdminApiKey);
        var runs = new List<Guid>();
        for (var i = 1; i <= 3; i++)
        {
            runs.Add(await StartLargeAccountAsync(api, i));
        }

        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Reviewer);
        await session.GotoAsync("/escalations");
        await Expect(page.GetByTestId("queue-counts")).ToHaveAttributeAsync("data-shortcuts", "on");

        // The three runs escalate as the job server gets to them; the page shows each as it arrives.
        var escalations = new Dictionary<Guid, Guid>();
        foreach (var run in runs)
        {
            var row = page.Locator($"[data-testid=escalation-row][data-run-id='{run}']");
            await Expect(row).ToBeVisibleAsync();
            escalations[Guid.Parse((await row.GetAttributeAsync("data-escalation-id"))!)] = run;
        }

        await page.Keyboard.PressAsync("?");
        await Expect(page.GetByTestId("shortcuts-help")).ToBeVisibleAsync();
        await session.ScreenshotAsync("escalations", "queue-with-shortcuts");
        await page.Keyboard.PressAsync("?");
        await Expect(page.GetByTestId("shortcuts-help")).ToHaveCountAsync(0);

        // On a narrow screen the list and the case stack.
        await page.SetViewportSizeAsync(420, 900);
        await Expect(page.GetByTestId("escalation-detail")).ToBeVisibleAsync();
        await session.ScreenshotAsync("escalations", "queue-narrow");
        await page.SetViewportSizeAsync(1366, 900);

        var left = escalations.Keys.ToList();
        var outcomes = new Dictionary<Guid, string>();

        // First: claim it, then approve as the decision value the dialog offers first (Enter confirms).
        var first = await SelectOneOfAsync(page, left);
        await page.Keyboard.PressAsync("c");
        await Expect(page.GetByTestId("review-claimed-by-me")).ToBeVisibleAsync();
        await Expect(Row(page, first).GetByTestId("escalation-claimed")).ToHaveTextAsync("Claimed by reviewer@agentconsole.local");
        await session.ScreenshotAsync("escalations", "queue-claimed");
        await page.Keyboard.PressAsync("a");
        await Expect(page.GetByTestId("decision-dialog")).ToBeVisibleAsync();
        await session.ScreenshotAsync("escalations", "queue-approve-as");
        await page.Keyboard.PressAsync("Enter");
        await Expect(Row(page, first)).ToHaveCountAsync(0);
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("approved as");
        outcomes[first] = "approved";
        left.Remove(first);

        // Second: reject with a reason typed after r, sent with Enter.
        var second = await SelectOneOfAsync(page, left);
        await page.Keyboard.PressAsync("r");
        var reason = page.GetByTestId("review-reason");
        await Expect(reason).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Not a fit for us this quarter.");
        await session.ScreenshotAsync("escalations", "queue-reject-reason");
        await page.Keyboard.PressAsync("Enter");
        await Expect(Row(page, second)).ToHaveCountAsync(0);
        outcomes[second] = "rejected";
        left.Remove(second);

        // Third: approve straight away.
        var third = await SelectOneOfAsync(page, left);
        await page.Keyboard.PressAsync("a");
        await Expect(page.GetByTestId("decision-dialog")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(Row(page, third)).ToHaveCountAsync(0);
        outcomes[third] = "approved";
        await session.ScreenshotAsync("escalations", "queue-cleared");

        var resolver = host.Services.GetRequiredService<EscalationResolver>();
        foreach (var (escalationId, outcome) in outcomes)
        {
            var escalation = (await resolver.FindAsync(escalationId))!;
            Assert.Equal("reviewer@agentconsole.local", escalation.ResolvedBy);
            if (outcome == "approved")
            {
                Assert.Equal(EscalationStatus.Approved, escalation.Status);
                Assert.Equal("SMB sequence", escalation.ChosenValue);
                // Approved as a usable value, the run resumes and finishes the common path.
                Assert.Equal(RunStatus.Succeeded, (await WaitForRunAsync(escalations[escalationId], s => s is RunStatus.Succeeded or RunStatus.Failed)).Status);
            }
            else
            {
                Assert.Equal(EscalationStatus.Rejected, escalation.Status);
                Assert.Equal("Not a fit for us this quarter.", escalation.Comment);
                Assert.Equal(RunStatus.Cancelled, (await WaitForRunAsync(escalations[escalationId], s => s == RunStatus.Cancelled)).Status);
            }
        }

        session.AssertNoBrowserErrors();
    }
}
