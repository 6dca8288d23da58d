using System.Globalization;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Runs;
using Microsoft.AspNetCore.Components;

namespace AgentConsole.Components.Pages.Dashboard;

/// <summary>
/// The dashboard's figures come from queries over the runs and escalations tables. The windows are the runs list's
/// ("24h", "7d"), so each figure links to exactly the runs it counts; "No runs yet" is said only when there are none.
/// </summary>
public sealed partial class DashboardPage
{
    private const int RecentCount = 8;

    private IReadOnlyList<Agent>? _agents;
    private RunSummary? _day;
    private RunSummary? _week;
    private bool _anyRuns;
    private int _openEscalations;

    [Inject] private AgentCatalog Catalog { get; set; } = default!;
    [Inject] private RunStatistics Statistics { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var now = Clock.GetUtcNow();
        _agents = await Catalog.ListAsync();
        _anyRuns = await Statistics.AnyRunsAsync();
        _day = await Statistics.SummarizeAsync(now - TimeSpan.FromDays(1));
        _week = await Statistics.SummarizeAsync(now - TimeSpan.FromDays(7));
        _openEscalations = await Statistics.OpenEscalationsAsync();
    }

    private static string Percent(double? rate) => rate is { } r ? r.ToString("0.#%", CultureInfo.InvariantCulture) : "—";

    private static string Errors(RunSummary summary) =>
        summary.ErrorRate is { } rate ? $"{summary.Errors:N0} ({Percent(rate)})" : "0";

    private static string RunsLink(RunStatus status, string window) => $"/runs?status={status}&window={window}";
}
