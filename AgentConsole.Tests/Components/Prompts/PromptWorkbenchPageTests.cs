using AgentConsole.Access;
using AgentConsole.Components.Pages.Prompts;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Prompts;
using AgentConsole.Engine.Tools;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AgentConsole.Tests.Components.Prompts;

/// <summary>The demo workspace with the prompt catalog the workbench edits through.</summary>
public sealed class PromptWorkspaceFixture : WorkspaceFixture
{
    public PromptCatalog Catalog => Host.Services.GetRequiredService<PromptCatalog>();

    public void RegisterPrompts(IServiceCollection services)
    {
        Register(services);
        services.AddSingleton(Catalog);
    }

    /// <summary>An agent of the calling test's own with one draft, so tests never share versions.</summary>
    public async Task<(string Key, PromptVersion Draft)> AgentWithDraftAsync(PromptSections sections)
    {
        var key = $"wb-{Guid.NewGuid():N}"[..20];
        var created = await Host.Services.GetRequiredService<AgentCatalog>().CreateAsync(new AgentDefinition
        {
            Key = key,
            Name = "Workbench agent",
            Tools = [new ToolGrant { Tool = "crm_find_company", Scope = ToolScope.Read }],
        }, "tests");
        Assert.Equal(AgentSaveOutcome.Saved, created.Outcome);
        var draft = await Catalog.CreateDraftAsync(key, sections, null, "first", "tests");
        return (key, draft.Version!);
    }
}

public sealed class PromptWorkbenchPageTests(PromptWorkspaceFixture workspace)
    : MudTestContext(workspace.RegisterPrompts), IClassFixture<PromptWorkspaceFixture>
{
    private static readonly TimeSpan Debounced = TimeSpan.FromSeconds(10);

    private static PromptSections Sections() => new()
    {
        Role = "You route inbound leads.",
        Tools = "Look the company up with crm_find_company.",
        Boundaries = "Escalate unclear cases to a reviewer.",
        EdgeCases = "- one\n- two\n- three\n- four\n- five",
        Prohibitions = "- a\n- b\n- c\n- d\n- e",
    };

    private void SignIn(string role, string email)
    {
        Auth.SetAuthorized(email);
        Auth.SetRoles(role);
        Auth.SetPolicies([.. Policies.RolesByPolicy.Where(p => p.Value.Contains(role)).Select(p => p.Key)]);
    }

    private static IRenderedComponent<PromptWorkbenchPage> Loaded(IRenderedComponent<PromptWorkbenchPage> page)
    {
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=lint-panel]")));
        return page;
    }

    private static AngleSharp.Dom.IElement Editor(IRenderedComponent<PromptWorkbenchPage> page, string section) =>
        page.Find($"[data-section={section}] textarea");

    [Fact]
    public async Task Lint_UpdatesWhileTyping_AndSaveStoresTheDraft()
    {
        var (key, draft) = await workspace.AgentWithDraftAsync(Sections());
        SignIn(Roles.Owner, "owner@example.com");
        var page = Loaded(Render<PromptWorkbenchPage>(p => p.Add(c => c.AgentKey, key)));
        Assert.Empty(page.FindAll("[data-rule=vague-mandate]"));
        Assert.Equal(draft.Id, page.Instance.CurrentVersionId);

        Editor(page, "role").Input("Be helpful and handle customer inquiries.");

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-rule=vague-mandate]").Count), Debounced);
        Assert.NotEmpty(page.FindAll("[data-testid=unsaved]"));
        await page.Find("[data-testid=save-draft]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Draft v1 saved.", page.Find("[data-testid=workbench-notice]").TextContent, StringComparison.Ordinal));
        var stored = await workspace.Catalog.GetAsync(draft.Id);
        Assert.Equal("Be helpful and handle customer inquiries.", stored!.Sections.Role);
        Assert.Equal(draft.Revision + 1, stored.Revision);
        Assert.Empty(page.FindAll("[data-testid=unsaved]"));
    }

    [Fact]
    public async Task Save_ShowsTheConflict_AndKeepsTheEdits_WhenSomeoneSavedMeanwhile()
    {
        var (key, draft) = await workspace.AgentWithDraftAsync(Sections());
        SignIn(Roles.Owner, "owner@example.com");
        var page = Loaded(Render<PromptWorkbenchPage>(p => p.Add(c => c.AgentKey, key)));
        var other = Sections();
        other.Role = "Someone else's role.";
        Assert.True((await workspace.Catalog.SaveDraftAsync(draft.Id, other, draft.Revision, null, "ray@example.com")).Succeeded);

        Editor(page, "role").Input("My role text.");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=unsaved]")), Debounced);
        await page.Find("[data-testid=save-draft]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("saved by ray@example.com after you opened it", page.Find("[data-testid=workbench-problem]").TextContent, StringComparison.Ordinal));
        Assert.Equal("My role text.", Editor(page, "role").GetAttribute("value") ?? Editor(page, "role").TextContent);
        Assert.Equal("Someone else's role.", (await workspace.Catalog.GetAsync(draft.Id))!.Sections.Role);
    }

    [Fact]
    public async Task Publish_ShowsTheGatesMessage_ToAnOwner()
    {
        var (key, draft) = await workspace.AgentWithDraftAsync(Sections());
        SignIn(Roles.Owner, "owner@example.com");
        var page = Loaded(Render<PromptWorkbenchPage>(p => p.Add(c => c.AgentKey, key)));

        await page.Find("[data-testid=publish]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("No completed evaluation of prompt v1", page.Find("[data-testid=gate-message]").TextContent, StringComparison.Ordinal));
        Assert.Equal(PromptVersionStatus.Draft, (await workspace.Catalog.GetAsync(draft.Id))!.Status);
    }

    [Fact]
    public async Task Publish_AsAdmin_AsksForAWrittenReason_AndPublishesWithTheOverride()
    {
        var (key, draft) = await workspace.AgentWithDraftAsync(Sections());
        SignIn(Roles.Admin, "admin@example.com");
        var dialogs = Render<MudDialogProvider>();
        var page = Loaded(Render<PromptWorkbenchPage>(p => p.Add(c => c.AgentKey, key)));

        var publishing = page.InvokeAsync(() => page.Find("[data-testid=publish]").Click());
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[data-testid=override-dialog]")));
        dialogs.Find("[data-testid=override-confirm]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Write the reason.", dialogs.Markup, StringComparison.Ordinal));
        dialogs.Find("[data-testid=override-dialog] textarea").Input("Hotfix approved by the sales director.");
        dialogs.Find("[data-testid=override-confirm]").Click();
        await publishing;

        page.WaitForAssertion(() => Assert.Contains("published by Admin override", page.Find("[data-testid=workbench-notice]").TextContent, StringComparison.Ordinal));
        var stored = await workspace.Catalog.GetAsync(draft.Id);
        Assert.Equal((PromptVersionStatus.Published, "Hotfix approved by the sales director."), (stored!.Status, stored.GateOverrideReason));
    }

    [Fact]
    public void Manager_ReadsThePublishedDemoPrompt_WithoutEditing()
    {
        SignIn(Roles.Manager, "manager@example.com");

        var page = Loaded(Render<PromptWorkbenchPage>(p => p.Add(c => c.AgentKey, DemoWorkspace.LeadRouterKey)));

        Assert.Contains("Published v1", page.Find("[data-testid=current-version]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("[data-testid=lint-clean]"));
        Assert.Empty(page.FindAll("[data-testid=save-draft]"));
        Assert.Empty(page.FindAll("[data-testid=publish]"));
        var editors = page.FindAll("[data-section] textarea");
        Assert.Equal(6, editors.Count);
        Assert.All(editors, t => Assert.True(t.HasAttribute("readonly")));
    }

    [Fact]
    public void Page_SaysTheAgentIsNotFound_ForAnUnknownKey()
    {
        SignIn(Roles.Owner, "owner@example.com");

        var page = Render<PromptWorkbenchPage>(p => p.Add(c => c.AgentKey, "no-such-agent"));

        page.WaitForAssertion(() => Assert.Contains("No agent with key “no-such-agent”", page.Markup, StringComparison.Ordinal));
    }
}
