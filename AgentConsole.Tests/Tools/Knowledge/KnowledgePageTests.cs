using AgentConsole.Access;
using AgentConsole.Components.Pages.Knowledge;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Tools.Knowledge;
using AgentConsole.Tests.Components;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Tools.Knowledge;

/// <summary>The demo workspace on a real engine host; each test class gets its own database.</summary>
public sealed class KnowledgeWorkspaceFixture : WorkspaceFixture
{
    public KnowledgeBase Knowledge => Host.Services.GetRequiredService<KnowledgeBase>();
}

public sealed class KnowledgePageTests : MudTestContext, IClassFixture<KnowledgeWorkspaceFixture>
{
    private readonly KnowledgeWorkspaceFixture _workspace;

    public KnowledgePageTests(KnowledgeWorkspaceFixture workspace)
        : base(services =>
        {
            workspace.Register(services);
            services.AddSingleton(workspace.Knowledge);
        })
    {
        _workspace = workspace;
    }

    private void SignInAs(string role)
    {
        Auth.SetAuthorized($"{role.ToLowerInvariant()}@example.com");
        Auth.SetRoles(role);
        Auth.SetPolicies([.. Policies.RolesByPolicy.Where(p => p.Value.Contains(role)).Select(p => p.Key)]);
    }

    private IRenderedComponent<KnowledgePage> Open(string? agent = null)
    {
        var page = Render<KnowledgePage>(p => p.Add(x => x.Key, agent ?? DemoWorkspace.LeadRouterKey));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")));
        return page;
    }

    private static void Choose(IRenderedComponent<KnowledgePage> page, InputFileContent file) =>
        page.FindComponent<InputFile>().UploadFiles(file);

    private async Task ClearAsync()
    {
        foreach (var document in await _workspace.Knowledge.ListAsync(DemoWorkspace.LeadRouterKey))
        {
            await _workspace.Knowledge.DeleteAsync(DemoWorkspace.LeadRouterKey, document.Id, "tests");
        }
    }

    [Fact]
    public async Task Owner_UploadsAFile_AndSeesItListedWithItsPassages()
    {
        await ClearAsync();
        SignInAs(Roles.Owner);
        var page = Open();
        Assert.NotEmpty(page.FindAll("[data-testid=empty-state]"));

        page.Find("input[data-testid=knowledge-title]").Change("Returns policy");
        Choose(page, InputFileContent.CreateFromText("# Returns\n\n## Refunds\nFull refund within 30 days.\n\n## Exchanges\nFree exchanges.", "returns.md"));
        page.WaitForAssertion(() => Assert.Contains("returns.md", page.Find("[data-testid=knowledge-chosen]").TextContent, StringComparison.Ordinal));
        page.Find("[data-testid=knowledge-upload]").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=knowledge-row]")));
        Assert.Contains("Returns policy", page.Find("[data-testid=knowledge-row]").TextContent, StringComparison.Ordinal);
        Assert.Equal("2", page.Find("[data-testid=knowledge-chunks]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=upload-problem]"));
        var stored = Assert.Single(await _workspace.Knowledge.ListAsync(DemoWorkspace.LeadRouterKey));
        Assert.Equal("owner@example.com", stored.UploadedBy);
    }

    [Theory]
    [InlineData("scan.pdf", "not a Markdown or text file")]
    [InlineData("empty.md", "is empty")]
    public void Owner_SeesAValidationMessage_ForAFileTheKnowledgeBaseRefuses(string fileName, string message)
    {
        SignInAs(Roles.Owner);
        var page = Open();

        Choose(page, InputFileContent.CreateFromText(fileName == "empty.md" ? "  \n" : "%PDF-1.7 text", fileName));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=knowledge-chosen]")));
        page.Find("[data-testid=knowledge-upload]").Click();

        page.WaitForAssertion(() => Assert.Contains(message, page.Find("[data-testid=upload-problem]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Owner_IsToldAFileIsTooLarge_BeforeItIsRead()
    {
        SignInAs(Roles.Owner);
        var page = Open();

        Choose(page, InputFileContent.CreateFromBinary(new byte[_workspace.Knowledge.Options.MaxDocumentBytes + 1], "huge.md"));

        page.WaitForAssertion(() => Assert.Contains("at most 512 KB", page.Find("[data-testid=upload-problem]").TextContent, StringComparison.Ordinal));
        Assert.True(page.Find("[data-testid=knowledge-upload]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task TryASearch_ShowsTheRankedPassages_AndViewShowsTheDocument()
    {
        await ClearAsync();
        await _workspace.Knowledge.UploadAsync(DemoWorkspace.LeadRouterKey, KnowledgeTestBed.Markdown("shipping.md", "# Shipping\n## Delivery\nExpress delivery arrives the next day."), "tests");
        await _workspace.Knowledge.UploadAsync(DemoWorkspace.LeadRouterKey, KnowledgeTestBed.Markdown("pricing.md", "# Pricing\nThe Starter plan costs 29 euros."), "tests");
        SignInAs(Roles.Manager);
        var page = Open();

        page.Find("input[data-testid=knowledge-query]").Input("how fast is delivery");
        page.Find("[data-testid=knowledge-search]").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=search-hit]")));
        var best = page.Find("[data-testid=search-hit][data-rank='1']");
        Assert.Contains("shipping › Shipping › Delivery", best.TextContent, StringComparison.Ordinal);
        Assert.Contains("**delivery**", best.QuerySelector("[data-testid=search-snippet]")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("BM25 only", page.Find("[data-testid=search-ranking]").TextContent, StringComparison.Ordinal);

        page.FindAll("[data-testid=knowledge-view]")[1].Click();
        page.WaitForAssertion(() => Assert.Contains("Express delivery arrives", page.Find("[data-testid=knowledge-content]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Shipping › Delivery", page.Find("[data-testid=knowledge-passage]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TryASearch_ExplainsAnUnsearchableQuery()
    {
        SignInAs(Roles.Owner);
        var page = Open();

        page.Find("input[data-testid=knowledge-query]").Input("*** ()");
        page.Find("[data-testid=knowledge-search]").Click();

        page.WaitForAssertion(() => Assert.Contains("punctuation", page.Find("[data-testid=search-problem]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Owner_DeletesADocument_AfterConfirming()
    {
        await ClearAsync();
        await _workspace.Knowledge.UploadAsync(DemoWorkspace.LeadRouterKey, KnowledgeTestBed.Markdown("old.md", "Outdated price list."), "tests");
        SignInAs(Roles.Owner);
        var page = Open();

        page.Find("[data-testid=knowledge-delete]").Click();
        page.Find("[data-testid=knowledge-confirm-delete]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=knowledge-row]")));
        Assert.Empty(await _workspace.Knowledge.ListAsync(DemoWorkspace.LeadRouterKey));
    }

    [Fact]
    public async Task Manager_ReadsButCannotUploadOrDelete()
    {
        await ClearAsync();
        await _workspace.Knowledge.UploadAsync(DemoWorkspace.LeadRouterKey, KnowledgeTestBed.Markdown("hours.md", "Support answers from 8 to 18."), "tests");
        SignInAs(Roles.Manager);
        var page = Open();

        Assert.Single(page.FindAll("[data-testid=knowledge-row]"));
        Assert.Empty(page.FindAll("[data-testid=knowledge-upload-form]"));
        Assert.Empty(page.FindAll("[data-testid=knowledge-delete]"));
        Assert.NotEmpty(page.FindAll("[data-testid=knowledge-read-only]"));
    }

    [Fact]
    public void UnknownAgent_SaysSo()
    {
        SignInAs(Roles.Owner);
        var page = Open("no-such-agent");

        Assert.Contains("Agent not found", page.Markup, StringComparison.Ordinal);
    }
}
