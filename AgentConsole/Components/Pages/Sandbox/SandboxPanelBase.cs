using AgentConsole.Engine.Tools.Messaging;
using Microsoft.AspNetCore.Components;

namespace AgentConsole.Components.Pages.Sandbox;

/// <summary>
/// A paged list of one sandbox table. Only the page on screen is loaded; the total comes from the same query, so an
/// empty state is shown only after the table was actually asked.
/// </summary>
public abstract class SandboxPanelBase<T> : ComponentBase
{
    public const int PageSize = 25;

    protected SandboxPage<T>? Page { get; private set; }

    /// <summary>1-based, as MudPagination counts.</summary>
    protected int PageNumber { get; private set; } = 1;

    protected int PageCount => Page is null ? 1 : Math.Max(1, (Page.Total + PageSize - 1) / PageSize);

    protected abstract Task<SandboxPage<T>> FetchAsync(int skip, int take);

    protected override Task OnInitializedAsync() => LoadAsync();

    protected async Task LoadAsync()
    {
        Page = await FetchAsync((PageNumber - 1) * PageSize, PageSize);
        if (Page.Items.Count == 0 && PageNumber > 1)
        {
            // The table shrank (a restore, a reset) under the page we were on: show the last page that exists.
            PageNumber = PageCount;
            Page = await FetchAsync((PageNumber - 1) * PageSize, PageSize);
        }
    }

    protected async Task GoToAsync(int page)
    {
        PageNumber = Math.Max(1, page);
        await LoadAsync();
    }

    protected static string RunLabel(Guid runId) => $"Run {runId.ToString()[..8]}…";

    protected static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
