using AgentConsole.Components.Pages.Runs;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Runs;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components.Runs;

/// <summary>One engine host (SQLite, demo workspace, no job server) for the runs list tests; each test starts its own runs.</summary>
public sealed class RunsEngineFixture : WorkspaceFixture;

public sealed class RunsPageTests(RunsEngineFixture engine) : MudTestContext(engine.Register), IClassFixture<RunsEngineFixture>
{
    private const string MidMarketLead = """{"name":"Dana Lee","email":"dana@acme.example","company":"Acme GmbH","employees":42}""";

    private IRenderedComponent<RunsPage> RenderAt(string uri)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        return Render<RunsPage>();
    }

    private static string StatusOf(IRenderedComponent<RunsPage> page, Guid runId) =>
        page.Find($"[data-run-id='{runId}'] [data-testid=run-status]").GetAttribute("data-status")!;

    [Fact]
    public async Task List_ShowsEachRunWithItsStatusChip()
    {
        var queued = await engine.Host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        var succeeded = await engine.Host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        await engine.Host.ExecuteAsync(succeeded);

        var page = RenderAt("/runs");

        page.WaitForAssertion(() =>
        {
            Assert.Equal(nameof(RunStatus.Queued), StatusOf(page, queued));
            Assert.Equal(nameof(RunStatus.Succeeded), StatusOf(page, succeeded));
        });
        var row = page.Find($"tr:has([data-run-id='{succeeded}'])");
        Assert.Contains("Succeeded", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("6", row.QuerySelector("[data-testid=run-tool-calls]")!.TextContent.Trim());
        // Newest first: the run started last comes before the one started earlier.
        var ids = page.FindAll("[data-testid=run-row]").Select(r => r.GetAttribute("data-run-id")).ToList();
        Assert.True(ids.IndexOf(succeeded.ToString()) < ids.IndexOf(queued.ToString()));
    }

    [Fact]
    public async Task StatusInTheUrl_FiltersTheList()
    {
        var queued = await engine.Host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        var succeeded = await engine.Host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        await engine.Host.ExecuteAsync(succeeded);

        var page = RenderAt("/runs?status=Succeeded");

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll($"[data-run-id='{succeeded}']")));
        Assert.Empty(page.FindAll($"[data-run-id='{queued}']"));
        Assert.All(page.FindAll("[data-testid=run-status]"), chip => Assert.Equal("Succeeded", chip.GetAttribute("data-status")));
    }

    [Fact]
    public async Task NewRun_AppearsWithoutReload_WhenTheEngineReportsIt()
    {
        var page = RenderAt("/runs");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=run-filters]")));

        var id = await engine.Host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        page.WaitForAssertion(() => Assert.Equal(nameof(RunStatus.Queued), StatusOf(page, id)), TimeSpan.FromSeconds(5));
        await engine.Host.ExecuteAsync(id);
        page.WaitForAssertion(() => Assert.Equal(nameof(RunStatus.Succeeded), StatusOf(page, id)), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void UnknownAgentFilter_ShowsTheFilteredEmptyState_NotAnError()
    {
        var page = RenderAt("/runs?agent=no-such-agent&status=bogus");

        page.WaitForAssertion(() => Assert.Contains("No runs match these filters", page.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=runs-error]"));
    }
}

public sealed class RunFilterTests
{
    [Fact]
    public void ToQueryParameters_WritesOnlyTheChosenFilters()
    {
        var filter = RunFilter.Parse("Lead-Router", "waitingforhuman", "24h");

        var query = filter.ToQueryParameters();

        Assert.Equal("lead-router", query["agent"]);
        Assert.Equal("WaitingForHuman", query["status"]);
        Assert.Equal("24h", query["window"]);
        Assert.Null(RunFilter.Parse(null, null, null).ToQueryParameters()["status"]);
    }

    [Fact]
    public void Parse_DropsUnknownStatusesAndWindows()
    {
        var filter = RunFilter.Parse(" ", "7", "forever");

        Assert.True(filter.IsEmpty);
    }

    [Fact]
    public void ToQuery_StartsTheWindowThatLongBeforeNow()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        var query = RunFilter.Parse(null, "Failed", "1h").ToQuery(now, "cursor", 25);

        Assert.Equal(now.AddHours(-1), query.From);
        Assert.Equal(RunStatus.Failed, query.Status);
        Assert.Equal("cursor", query.Cursor);
    }

    [Fact]
    public void EveryStatus_HasItsOwnColourAndIcon()
    {
        var statuses = Enum.GetValues<RunStatus>();

        Assert.Equal(statuses.Length, statuses.Select(RunDisplay.Color).Distinct().Count());
        Assert.Equal(statuses.Length, statuses.Select(RunDisplay.Icon).Distinct().Count());
    }

    [Theory]
    [InlineData(0.000123, "$0.000123")]
    [InlineData(0.0421, "$0.0421")]
    [InlineData(0, "$0")]
    public void Cost_ShowsFractionsOfACent(double usd, string expected) => Assert.Equal(expected, RunDisplay.Cost((decimal)usd));
}
