using AgentConsole.Components.Pages.Tests;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Evaluations;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AgentConsole.Tests.Components.Tests;

/// <summary>The demo workspace for the Tests page (its own host: the tests add and import cases).</summary>
public sealed class TestSetsWorkspaceFixture : WorkspaceFixture;

/// <summary>The Tests page on the demo workspace: the default set's cases, adding a case through the dialog, and an import with an error.</summary>
public sealed class TestsPageTests(TestSetsWorkspaceFixture workspace) : MudTestContext(workspace.Register), IClassFixture<TestSetsWorkspaceFixture>
{
    private TestSets Sets => workspace.Host.Services.GetRequiredService<TestSets>();

    private (IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<TestsPage> Page) RenderPage()
    {
        Auth.SetAuthorized("owner@agentconsole.local");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<TestsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=tests-case-name]")));
        return (dialogs, page);
    }

    private async Task<TestSet> DefaultSetAsync() => (await Sets.DefaultForAsync(DemoWorkspace.LeadRouterKey))!;

    [Fact]
    public void Page_ShowsTheDemoDefaultSet_WithAPageOfCasesAndTheirExpectations()
    {
        var (_, page) = RenderPage();

        Assert.Equal(LeadRouterTestCases.SetName, page.Find("[data-testid=tests-set-name]").TextContent.Trim());
        Assert.NotNull(page.Find("[data-testid=tests-default-chip]"));
        Assert.Equal(25, page.FindAll("[data-testid=tests-case-name]").Count);
        Assert.Equal("lead-routing = SMB sequence · does not escalate · calls crm_find_company, crm_update_lead, crm_set_lead_status, email_send, calendar_create_event, chat_notify · output has \"SMB sequence\"",
            page.FindAll("[data-testid=tests-case-expects]")[0].TextContent.Trim());
        Assert.Contains("/prompts", page.Find("[data-testid=tests-evaluations] a").GetAttribute("href"), StringComparison.Ordinal);
        Assert.EndsWith("/export?format=csv", page.Find("[data-testid=tests-export-csv]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddCase_ShowsTheEnginesMessageAtTheField_ThenSavesTheCorrectedCase()
    {
        var (dialogs, page) = RenderPage();
        var before = (await DefaultSetAsync()).Cases.Count;
        var name = $"Ten employees {Guid.NewGuid():N}"[..22];

        page.Find("[data-testid=tests-add-case]").Click();
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=test-case-dialog]")));
        dialogs.Find("input[data-testid=test-case-name]").Change(name);
        dialogs.Find("textarea[data-testid=test-case-input]").Change("{\"employees\": 10,");
        dialogs.Find("input[data-testid=test-case-must-not-call]").Change("email_send, launch_rockets");
        dialogs.Find("[data-testid=test-case-save]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("The input is not valid JSON",
            dialogs.Find(".mud-input-control:has(textarea[data-testid=test-case-input]) .mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal));
        Assert.Contains("'launch_rockets'", dialogs.Find(".mud-input-control:has(input[data-testid=test-case-must-not-call]) .mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal);
        Assert.Equal(before, (await DefaultSetAsync()).Cases.Count);

        dialogs.Find("textarea[data-testid=test-case-input]").Change("{\"name\": \"Tess\", \"email\": \"t@moon.example\", \"company\": \"Moon\", \"employees\": 10}");
        dialogs.Find("input[data-testid=test-case-must-not-call]").Change("email_send");
        dialogs.Find("[data-testid=test-case-save]").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=test-case-dialog]")));
        var saved = (await DefaultSetAsync()).Cases.Single(c => c.Name == name);
        Assert.Equal(["email_send"], saved.MustNotCall);
        Assert.Equal(TestCaseKind.Synthetic, saved.Kind);
        Assert.Equal("{\"name\":\"Tess\",\"email\":\"t@moon.example\",\"company\":\"Moon\",\"employees\":10}", saved.InputJson);
        await Sets.DeleteCaseAsync(saved.TestSetId, saved.Id, "tests");
    }

    [Fact]
    public async Task Import_WithAnError_ListsTheLine_AndSavesNothing()
    {
        var (_, page) = RenderPage();
        var before = (await DefaultSetAsync()).Cases.Count;
        const string file = "{\"name\":\"Imported fine\",\"input\":{\"employees\":3},\"mustEscalate\":false}\n{\"name\":\"Imported broken\",\"input\":{\"employees\":3}}\n";

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(file, "cases.jsonl"));

        page.WaitForAssertion(() => Assert.Contains("nothing was imported", page.Find("[data-testid=tests-import-result]").TextContent, StringComparison.Ordinal));
        var error = Assert.Single(page.FindAll("[data-testid=tests-import-error]"));
        Assert.Equal("2", error.GetAttribute("data-line"));
        Assert.Contains("say what a correct run does", error.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, (await DefaultSetAsync()).Cases.Count);
    }
}
