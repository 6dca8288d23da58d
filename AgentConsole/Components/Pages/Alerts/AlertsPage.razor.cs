using AgentConsole.Access;
using AgentConsole.Components.Layout;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Alerts;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentConsole.Components.Pages.Alerts;

/// <summary>
/// Firing alerts (with Acknowledge), the resolved history page by page, and the rules. Follows <see cref="AlertFeed"/>
/// live: an alert that fires, resolves or is acknowledged elsewhere shows without a reload.
/// </summary>
public sealed partial class AlertsPage : IDisposable
{
    public enum Tab
    {
        Firing,
        History,
        Rules,
    }

    public const int PageSize = 50;

    internal static readonly (Tab Tab, string Label)[] Tabs = [(Tab.Firing, "Firing"), (Tab.History, "History"), (Tab.Rules, "Rules")];

    private Tab _tab = Tab.Firing;
    private string? _agent;
    private Dictionary<string, string> _agents = [];
    private List<Alert>? _items;
    private long? _next;
    private bool _loadingMore;
    private string _actor = "";

    /// <summary>The alert a notification links to (<c>/alerts?alert=12</c>): highlighted in the list.</summary>
    [SupplyParameterFromQuery(Name = "alert")] public long? AlertId { get; set; }

    [Inject] private AlertBoard Board { get; set; } = default!;
    [Inject] private AlertFeed Feed { get; set; } = default!;
    [Inject] private AgentCatalog Agents { get; set; } = default!;
    [Inject] private BrowserTime BrowserTime { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private AuthenticationStateProvider AuthState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _actor = (await AuthState.GetAuthenticationStateAsync()).User.ActorName();
        _agents = (await Agents.ListAsync()).ToDictionary(a => a.Key, a => a.Name, StringComparer.Ordinal);
        Feed.Changed += OnChanged;
        if (AlertId is { } id && await Board.FindAsync(id) is { IsFiring: false })
        {
            _tab = Tab.History;
        }

        await LoadAsync();
    }

    private async Task ShowAsync(Tab tab)
    {
        _tab = tab;
        await LoadAsync();
    }

    private async Task FilterAsync(string? agent)
    {
        _agent = agent;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (_tab == Tab.Rules)
        {
            return;
        }

        if (_tab == Tab.Firing)
        {
            _items = [.. await Board.ActiveAsync(_agent)];
            _next = null;
        }
        else
        {
            var page = await Board.ListAsync(new AlertQuery(AlertStatus.Resolved, _agent, null, PageSize));
            (_items, _next) = ([.. page.Items], page.NextCursor);
        }
    }

    private async Task MoreAsync()
    {
        _loadingMore = true;
        try
        {
            var page = await Board.ListAsync(new AlertQuery(AlertStatus.Resolved, _agent, _next, PageSize));
            _items = [.. _items ?? [], .. page.Items];
            _next = page.NextCursor;
        }
        finally
        {
            _loadingMore = false;
        }
    }

    private async Task AcknowledgeAsync(Alert alert)
    {
        var result = await Board.AcknowledgeAsync(alert.Id, _actor);
        Snackbar.Add(result.Message, result.Outcome == AlertAcknowledgeOutcome.Acknowledged ? Severity.Success : Severity.Info);
        await LoadAsync();
    }

    private void OnChanged(AlertChanged change) =>
        // Raised on the evaluator's thread: reload on this circuit's dispatcher, never wait for it.
        _ = InvokeAsync(async () =>
        {
            if (_tab != Tab.Rules)
            {
                await LoadAsync();
                StateHasChanged();
            }
        });

    public void Dispose() => Feed.Changed -= OnChanged;
}
