using AgentConsole.Components.Layout;
using AgentConsole.Engine.Tools.Http;
using Microsoft.AspNetCore.Components;

namespace AgentConsole.Components.Pages.Sandbox;

/// <summary>The sandbox HTTP API's effects: every request an agent made on a sandbox connection, paged, newest first.</summary>
public sealed partial class HttpLogPage
{
    public const int PageSize = 50;

    private HttpSandboxPage? _page;
    private int _skip;
    private string? _error;

    [Inject]
    private HttpSandboxLog Log { get; set; } = default!;

    [Inject]
    private BrowserTime Time { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && await Time.EnsureAsync())
        {
            StateHasChanged();
        }
    }

    public static bool IsWrite(string method) => method is not ("GET" or "HEAD");

    private async Task MoveAsync(int delta)
    {
        _skip = Math.Max(0, _skip + delta);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _page = await Log.ListAsync(_skip, PageSize);
            _error = null;
        }
        catch (Exception ex) when (ex is Microsoft.EntityFrameworkCore.DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            _error = $"The sandbox log could not be read: {ex.Message}";
        }
    }
}
