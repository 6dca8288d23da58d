using System.Text.RegularExpressions;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Audit;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>The audit log page as people use it: search, open an event, share the link, verify, export.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class AuditLogTests(ConsoleHostFixture host, BrowserFixture browser)
{
    private async Task<string> RecordAsync(int count = 3)
    {
        var marker = "mk" + Guid.NewGuid().ToString("N")[..10];
        await host.Services.GetRequiredService<AuditLog>().RecordBatchAsync(Enumerable.Range(1, count).Select(i => new AuditEntry(
            AuditCategory.Decision, "decision.evaluated", AuditActor.Run($"run-{marker}"),
            $"Lead {i} for {marker} routed to the SMB sequence", new { marker, lead = i, route = "SMB sequence" }, "lead-router", $"run-{marker}")));
        await host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        return marker;
    }

    [Fact]
    public async Task Search_ThenOpenAnEvent_ShowsItsPayloadInTheDrawer_AndPutsBothInTheUrl()
    {
        var marker = await RecordAsync();
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Manager);
        await session.GotoAsync("/audit");

        await session.Page.GetByTestId("audit-q").FillAsync(marker);
        await session.Page.GetByTestId("audit-search").ClickAsync();

        await Expect(session.Page).ToHaveURLAsync(new Regex($"q={marker}"));
        var rows = session.Page.GetByTestId("audit-row");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(session.Page.GetByTestId("audit-count")).ToHaveTextAsync("3 events");
        await Expect(rows.First).ToContainTextAsync("Lead 3");
        await session.ScreenshotAsync("audit", "search");

        await rows.First.ClickAsync();

        var drawer = session.Page.GetByTestId("audit-drawer");
        await Expect(drawer.GetByTestId("detail-summary")).ToHaveTextAsync($"Lead 3 for {marker} routed to the SMB sequence");
        await Expect(drawer.GetByTestId("detail-payload")).ToContainTextAsync($"\"marker\": \"{marker}\"");
        await Expect(drawer.GetByTestId("detail-agent")).ToHaveAttributeAsync("href", "/agents/lead-router");
        await Expect(session.Page).ToHaveURLAsync(new Regex(@"seq=\d+"));
        await session.ScreenshotAsync("audit", "detail-drawer");
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task SharedLink_OpensTheSameSearchAndEvent()
    {
        var marker = await RecordAsync();
        var page = await host.Services.GetRequiredService<AuditSearch>().SearchAsync(new AuditQuery { Text = marker, Limit = 1 });
        var sequence = page.Events.Single().Sequence;
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Reviewer);

        await session.GotoAsync($"/audit?q={marker}&seq={sequence}");

        await Expect(session.Page.GetByTestId("audit-q")).ToHaveValueAsync(marker);
        await Expect(session.Page.GetByTestId("audit-row")).ToHaveCountAsync(3);
        await Expect(session.Page.GetByTestId("audit-drawer").GetByTestId("detail-summary")).ToContainTextAsync(marker);
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task RunLink_InTheDrawer_FiltersToThatRun()
    {
        var marker = await RecordAsync(count: 2);
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Owner);
        await session.GotoAsync($"/audit?q={marker}");
        await session.Page.GetByTestId("audit-row").First.ClickAsync();

        await session.Page.GetByTestId("detail-run").ClickAsync();

        await Expect(session.Page).ToHaveURLAsync(new Regex($"run=run-{marker}"));
        await Expect(session.Page.GetByTestId("audit-run")).ToHaveValueAsync($"run-{marker}");
        await Expect(session.Page.GetByTestId("audit-row")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task SearchWithNothingSearchable_ShowsAMessage_AndKeepsThePageWorking()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Manager);
        await session.GotoAsync("/audit");

        await session.Page.GetByTestId("audit-q").FillAsync("*");
        await session.Page.GetByTestId("audit-search").ClickAsync();

        await Expect(session.Page.GetByTestId("audit-error")).ToContainTextAsync("Type letters or digits");
        await session.Page.GetByTestId("audit-q").FillAsync("signed");
        await session.Page.GetByTestId("audit-search").ClickAsync();
        await Expect(session.Page.GetByTestId("audit-error")).ToHaveCountAsync(0);
        await Expect(session.Page.GetByTestId("audit-row").First).ToBeVisibleAsync();
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task VerifyChain_ReportsAnIntactChain()
    {
        await RecordAsync();
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Admin);
        await session.GotoAsync("/audit");

        await session.Page.GetByTestId("verify-chain").ClickAsync();

        await Expect(session.Page.GetByTestId("verify-result")).ToContainTextAsync("Chain intact");
        await session.ScreenshotAsync("audit", "verified");
    }

    [Fact]
    public async Task ExportCsv_DownloadsEveryMatchingEvent_AndReportsProgress()
    {
        var marker = await RecordAsync(count: 4);
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Manager);
        await session.GotoAsync($"/audit?q={marker}");
        await Expect(session.Page.GetByTestId("audit-count")).ToHaveTextAsync("4 events");

        await session.Page.GetByTestId("export-menu").ClickAsync();
        var download = await session.Page.RunAndWaitForDownloadAsync(() => session.Page.GetByTestId("export-csv").ClickAsync());

        var path = await download.PathAsync();
        var lines = (await File.ReadAllLinesAsync(path!)).Where(l => l.Length > 0).ToList();
        Assert.StartsWith("sequence,timestamp", lines[0], StringComparison.Ordinal);
        Assert.Equal(5, lines.Count);
        Assert.All(lines.Skip(1), line => Assert.Contains(marker, line, StringComparison.Ordinal));
        await Expect(session.Page.GetByTestId("export-progress")).ToContainTextAsync("Exported 4 events");
        session.AssertNoBrowserErrors();
    }
}
