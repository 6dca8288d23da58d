using System.Text.RegularExpressions;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>The agent editor as Owners (who edit) and Reviewers (who only read) use it.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed partial class AgentEditorTests(ConsoleHostFixture host, BrowserFixture browser)
{
    private AgentCatalog Catalog => host.Services.GetRequiredService<AgentCatalog>();

    [Fact]
    public async Task Owner_CreatesAgent_AfterFixingValidationErrors()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var name = $"Browser Agent {suffix}";
        var key = $"browser-agent-{suffix}";
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Owner);
        await session.ClickNavAsync("Agents");

        await page.GetByTestId("new-agent").ClickAsync();
        await Expect(page).ToHaveURLAsync(BrowserSession.PathIs("/agents/new"));
        await Expect(session.Heading).ToHaveTextAsync("New agent");
        var nameInput = page.GetByTestId("agent-name");
        var keyInput = page.GetByTestId("agent-key");
        var maxSteps = page.GetByTestId("agent-max-steps");
        var save = page.GetByTestId("save-agent");
        var problem = page.GetByTestId("save-problem");

        // Nothing is flagged before the first save attempt; an empty form then names what is missing.
        await BrowserSession.ExpectNoFieldErrorAsync(nameInput);
        await save.ClickAsync();
        await Expect(problem).ToBeVisibleAsync();
        await Expect(nameInput).ToHaveAttributeAsync("aria-invalid", "true");
        await BrowserSession.ExpectFieldErrorAsync(nameInput, "Name is required.");
        await BrowserSession.ExpectFieldErrorAsync(keyInput, "Key is required.");

        // The key follows the name, and fixed fields clear their message as the user types.
        await nameInput.FillAsync(name);
        await Expect(keyInput).ToHaveValueAsync(key);
        await BrowserSession.ExpectNoFieldErrorAsync(nameInput);
        await BrowserSession.ExpectNoFieldErrorAsync(keyInput);
        await Expect(page.GetByTestId("unsaved")).ToBeVisibleAsync();

        await maxSteps.FillAsync("99");
        await BrowserSession.ExpectFieldErrorAsync(maxSteps, new Regex("^Max steps must be between 1 and 50"));
        await page.GetByTestId("add-field").ClickAsync();
        await Expect(page.GetByTestId("input-field-row")).ToHaveCountAsync(1);
        await page.GetByTestId("field-name").FillAsync("lead_email");
        await save.ClickAsync();

        await Expect(problem).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(BrowserSession.PathIs("/agents/new"));
        await BrowserSession.ExpectFieldErrorAsync(maxSteps, new Regex("^Max steps must be between 1 and 50"));
        await session.ScreenshotAsync(Roles.Owner, "agent-form-validation");
        Assert.Null(await Catalog.FindAsync(key));

        await maxSteps.FillAsync("20");
        await BrowserSession.ExpectNoFieldErrorAsync(maxSteps);
        await save.ClickAsync();

        await Expect(page).ToHaveURLAsync(BrowserSession.PathIs($"/agents/{key}"));
        await Expect(session.Heading).ToHaveTextAsync(name);
        await Expect(problem).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("unsaved")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("agent-key")).ToHaveValueAsync(key);
        await Expect(page.GetByTestId("agent-key")).ToBeDisabledAsync();
        await Expect(maxSteps).ToHaveValueAsync("20");
        await Expect(page.GetByTestId("field-name")).ToHaveValueAsync("lead_email");
        await session.ScreenshotAsync(Roles.Owner, "agent-saved");

        var saved = await Catalog.FindAsync(key);
        Assert.NotNull(saved);
        Assert.Equal(name, saved.Name);
        Assert.Equal(20, saved.MaxSteps);
        Assert.Equal(["lead_email"], saved.InputFields.Select(f => f.Name));
        Assert.Equal(ConsoleHostFixture.SignInFor(Roles.Owner).Email, saved.UpdatedBy);

        await session.ClickNavAsync("Agents");
        var row = page.GetByTestId("agents-table").Locator("tr", new LocatorLocatorOptions { Has = page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = name, Exact = true }) });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync(key);
        await Expect(row).ToContainTextAsync("20 steps");
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task Reviewer_SeesDemoAgentReadOnly_WithItsInputFields()
    {
        string[] expectedFields = ["name", "email", "company", "employees", "industry", "source", "message", "notes"];
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Reviewer);

        await session.GotoAsync($"/agents/{DemoWorkspace.LeadRouterKey}");

        await Expect(session.Heading).ToHaveTextAsync("Inbound lead router");
        await Expect(page.GetByTestId("agent-name")).ToHaveValueAsync("Inbound lead router");
        await Expect(page.GetByTestId("save-agent")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("add-field")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("remove-field")).ToHaveCountAsync(0);
        foreach (var testId in new[] { "agent-name", "agent-key", "agent-purpose", "agent-max-steps", "agent-budget", "agent-wall-clock", "agent-model" })
        {
            await Expect(page.GetByTestId(testId)).Not.ToBeEditableAsync();
        }

        // Selects and check boxes have no read-only attribute; MudBlazor marks them and ignores clicks.
        await Expect(page.GetByTestId("agent-status")).ToHaveClassAsync(ReadOnlyMarker());
        await Expect(page.GetByTestId("agent-autonomy")).ToHaveClassAsync(ReadOnlyMarker());
        var requiredBoxes = page.GetByTestId("input-fields").Locator("label.mud-checkbox");
        await Expect(requiredBoxes).ToHaveCountAsync(expectedFields.Length);
        for (var i = 0; i < expectedFields.Length; i++)
        {
            await Expect(requiredBoxes.Nth(i)).ToHaveClassAsync(ReadOnlyMarker());
        }

        var fieldNames = page.GetByTestId("field-name");
        await Expect(fieldNames).ToHaveCountAsync(expectedFields.Length);
        for (var i = 0; i < expectedFields.Length; i++)
        {
            await Expect(fieldNames.Nth(i)).ToHaveValueAsync(expectedFields[i]);
            await Expect(fieldNames.Nth(i)).Not.ToBeEditableAsync();
        }

        await session.ScreenshotAsync(Roles.Reviewer, "agent-read-only");
        session.AssertNoBrowserErrors();
    }

    [GeneratedRegex(@"(^|\s)mud-readonly(\s|$)")]
    private static partial Regex ReadOnlyMarker();

    [Fact]
    public async Task Reviewer_CannotOpenNewAgentForm()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Reviewer);
        await session.ClickNavAsync("Agents");

        await Expect(page.GetByTestId("agents-table")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("new-agent")).ToHaveCountAsync(0);

        await session.GotoAsync("/agents/new");

        await Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("agent-form")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("save-agent")).ToHaveCountAsync(0);
        session.AssertNoBrowserErrors();
    }
}
