using AgentConsole.Components.Layout;
using AgentConsole.Engine.Escalations;
using Microsoft.AspNetCore.Components;

namespace AgentConsole.Components.Pages.Escalations;

/// <summary>
/// The open escalations as the database holds them, paged. Deciding happens on the run's page (its escalation card)
/// until the review queue lands; this page says the queue is clear only when the query found nothing open.
/// </summary>
public sealed partial class EscalationsPage
{
    public const int PageSize = 25;

    private OpenEscalationPage? _page;
    private int _pageIndex;

    [Inject] private EscalationInbox Queue { get; set; } = default!;
    [Inject] private BrowserTime Time { get; set; } = default!;

    private int PageCount => _page is null ? 0 : (_page.Total + PageSize - 1) / PageSize;

    private string CountText => _page?.Total == 1 ? "1 open escalation" : $"{_page?.Total:N0} open escalations";

    protected override Task OnInitializedAsync() => LoadAsync();

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && await Time.EnsureAsync())
        {
            StateHasChanged();
        }
    }

    private async Task LoadAsync()
    {
        _page = await Queue.ListOpenAsync(_pageIndex * PageSize, PageSize);
        // Escalations resolved meanwhile can leave the last page empty: step back to one that has rows.
        if (_page.Items.Count == 0 && _page.Total > 0 && _pageIndex > 0)
        {
            _pageIndex = PageCount - 1;
            _page = await Queue.ListOpenAsync(_pageIndex * PageSize, PageSize);
        }
    }

    private async Task NextAsync()
    {
        _pageIndex++;
        await LoadAsync();
    }

    private async Task PreviousAsync()
    {
        _pageIndex = Math.Max(0, _pageIndex - 1);
        await LoadAsync();
    }
}
