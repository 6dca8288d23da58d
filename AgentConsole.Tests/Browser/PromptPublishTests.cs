using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Prompts;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>
/// The owner's week in the workbench, in a real browser against the real engine and its evaluations queue: edit a draft,
/// find publishing refused by the gate, evaluate the draft against the agent's test set, then publish it.
/// </summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class PromptPublishTests(ConsoleHostFixture host, BrowserFixture browser)
{
    [Fact]
    public async Task Owner_EditsADraft_IsStoppedByTheGate_EvaluatesIt_ThenPublishes()
    {
        var agentKey = await AgentWithTableAndTestSetAsync();
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Owner);
        await session.GotoAsync($"/agents/{agentKey}/prompt");
        await Expect(page.GetByTestId("current-version")).ToHaveTextAsync("Draft v1");

        // Edit: the lint follows the typing.
        var role = page.Locator("[data-section=role] textarea");
        await role.FillAsync("Be helpful with every lead.\n\n" + LeadRouterPrompt.Sections().Role);
        await Expect(page.Locator("[data-testid=lint-finding][data-rule=vague-mandate]")).ToHaveCountAsync(1);
        await role.FillAsync(LeadRouterPrompt.Sections().Role + "\n\nReply in the lead's language.");
        await Expect(page.Locator("[data-testid=lint-finding][data-rule=vague-mandate]")).ToHaveCountAsync(0);
        await page.GetByTestId("save-draft").ClickAsync();
        await Expect(page.GetByTestId("workbench-notice")).ToContainTextAsync("Draft v1 saved.");

        // Publish is refused: no evaluation of this exact version yet.
        await page.GetByTestId("publish").ClickAsync();
        await Expect(page.GetByTestId("gate-message")).ToContainTextAsync("No completed evaluation of prompt v1");
        await session.ScreenshotAsync(Roles.Owner, "publish-gate-refused");

        // Evaluate: the evaluations queue runs the cases; the progress and the verdicts arrive live.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Evaluate" }).ClickAsync();
        await Expect(page.GetByTestId("offline-model-note")).ToContainTextAsync("prompt wording does not change its behaviour");
        await page.GetByTestId("eval-start").ClickAsync();
        await Expect(page.GetByTestId("eval-status")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("eval-pass-rate")).ToContainTextAsync("100.0 %");
        await Expect(page.GetByTestId("eval-gate")).ToContainTextAsync("may be published");
        await Expect(page.Locator("[data-testid=eval-verdict]")).ToHaveCountAsync(4);
        await session.ScreenshotAsync(Roles.Owner, "evaluation-passed");

        // Publish goes through now.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Edit" }).ClickAsync();
        await page.GetByTestId("publish").ClickAsync();
        await Expect(page.GetByTestId("workbench-notice")).ToContainTextAsync("v1 is published; production runs use it from now on.");
        await Expect(page.GetByTestId("current-version")).ToHaveTextAsync("Published v1");
        await session.ScreenshotAsync(Roles.Owner, "prompt-published");
        session.AssertNoBrowserErrors();

        var published = await host.Services.GetRequiredService<PromptCatalog>().ListAsync(agentKey);
        Assert.Contains(published!, v => v.Number == 1 && v.Status == PromptVersionStatus.Published);
    }

    /// <summary>An agent of this test's own (the demo's lead router stays as other tests expect it), with the demo's routing table and four cases.</summary>
    private async Task<string> AgentWithTableAndTestSetAsync()
    {
        var definition = DemoWorkspace.LeadRouter();
        definition.Key = $"publish-{Guid.NewGuid():N}"[..20];
        definition.Name = "Publishing lead router";
        definition.EngineRoutes = [];
        Assert.Equal(AgentSaveOutcome.Saved, (await host.Services.GetRequiredService<AgentCatalog>().CreateAsync(definition, "tests")).Outcome);

        var decisions = host.Services.GetRequiredService<DecisionCatalog>();
        // Its own name, so the decision list other tests read still has one "Lead routing".
        var model = DemoWorkspace.LeadRoutingModel();
        model = model with { Decisions = [((DecisionTableDefinition)model.Decisions[0]) with { Name = $"Route for {definition.Key}" }] };
        var table = await decisions.CreateAsync(model, "tests", definition.Key);
        Assert.True((await decisions.PublishDraftAsync(table.Decision.Key, "tests", "Set up by the test before the agent has a test set.", CancellationToken.None)).Succeeded);
        Assert.True((await host.Services.GetRequiredService<PromptCatalog>().CreateDraftAsync(definition.Key, LeadRouterPrompt.Sections(), null, "From the demo", "tests")).Succeeded);

        var sets = host.Services.GetRequiredService<TestSets>();
        var set = (await sets.CreateAsync(definition.Key, "Routing", null, "tests")).Set!;
        foreach (var (name, employees, route) in new[] { ("Small", 4, LeadRoutingTable.Smb), ("Mid", 42, LeadRoutingTable.MidMarket), ("Upper mid", 500, LeadRoutingTable.MidMarket) })
        {
            var added = await sets.AddCaseAsync(set.Id, new TestCaseEdit
            {
                Name = name,
                InputJson = $$"""{"name":"Dana Lee","email":"dana@acme.example","company":"Acme {{name}}","employees":{{employees}},"industry":"Software"}""",
                ExpectedDecisionsJson = $$"""{"{{table.Decision.Key}}":"{{route}}"}""",
            }, "tests");
            Assert.True(added.Succeeded, added.Message);
        }

        var rejected = await sets.AddCaseAsync(set.Id, new TestCaseEdit { Name = "No company", InputJson = """{"name":"Dana Lee","email":"dana@acme.example","employees":5}""", ExpectRejected = true }, "tests");
        Assert.True(rejected.Succeeded, rejected.Message);
        return definition.Key;
    }
}
