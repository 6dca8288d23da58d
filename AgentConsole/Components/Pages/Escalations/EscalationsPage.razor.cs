using AgentConsole.Access;
using AgentConsole.Components.Layout;
using AgentConsole.Components.Pages.Runs;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;

namespace AgentConsole.Components.Pages.Escalations;

/// <summary>
/// The review queue: open cases by due time with counts and filters on the left, the selected case's context and
/// decisions on the right. It follows the engine live (raised, claimed, resolved, run updates), reloading at most
/// every <see cref="LiveRefresh.Interval"/>, and takes keyboard shortcuts from a small JS module.
/// </summary>
public sealed partial class EscalationsPage : IAsyncDisposable
{
    public const int PageSize = 50;

    internal static readonly (TimeSpan? Age, string Label)[] Ages =
    [
        (TimeSpan.FromHours(1), "Older than 1 h"),
        (TimeSpan.FromHours(4), "Older than 4 h"),
        (TimeSpan.FromDays(1), "Older than 1 day"),
    ];

    internal static readonly (string Keys, string What)[] Shortcuts =
    [
        ("j / ↓", "next case"),
        ("k / ↑", "previous case"),
        ("c", "claim / release"),
        ("a", "approve (asks for the value or a confirmation when needed)"),
        ("r", "reject (type the reason, Enter)"),
        ("e", "edit the arguments and approve"),
        ("g", "return to the agent with guidance"),
        ("t", "take over"),
        ("Enter", "confirm a dialog"),
        ("Esc", "close a form or dialog"),
        ("?", "show or hide this help"),
    ];

    private LiveRefresh _live = null!;
    private EscalationCounts? _counts;
    private List<EscalationListItem>? _items;
    private string? _next;
    private bool _loadingMore;
    private Dictionary<string, string> _agents = [];
    private bool _open = true;
    private string? _agent;
    private EscalationKind? _kind;
    private TimeSpan? _olderThan;
    private EscalationDue? _due;
    private Guid? _selectedId;
    private EscalationDetail? _detail;
    private bool _missing;
    private bool _showHelp;
    private string _actor = "";
    private IReadOnlyList<string> _roles = [];
    private EscalationReview? _review;
    private IJSObjectReference? _module;
    private IJSObjectReference? _keys;
    private DotNetObjectReference<EscalationsPage>? _self;

    [Parameter] public Guid? Id { get; set; }

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private ReviewDesk Desk { get; set; } = default!;
    [Inject] private AgentCatalog Agents { get; set; } = default!;
    [Inject] private EscalationFeed Feed { get; set; } = default!;
    [Inject] private RunNotifications Notifications { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private BrowserTime Time { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private ILogger<EscalationsPage> Logger { get; set; } = default!;

    private bool Filtered => _agent is not null || _kind is not null || _olderThan is not null || _due is not null;

    private string EmptyTitle => !_open ? "No resolved escalations" + (Filtered ? " match these filters" : " yet")
        : Filtered ? "No open escalation matches these filters" : "No escalations waiting — the queue is clear";

    private string? EmptyText => _open && !Filtered
        ? "When an agent hits a case it must not decide alone, or a limit, it pauses and the case lands here with what it did, what it saw and why."
        : null;

    private string AgentCount(string key) => _open && _counts?.ByAgent.GetValueOrDefault(key) is > 0 and var n ? $" ({n})" : "";

    private string KindCount(EscalationKind kind) => _open && _counts?.ByKind.GetValueOrDefault(kind) is > 0 and var n ? $" ({n})" : "";

    protected override async Task OnInitializedAsync()
    {
        _live = new LiveRefresh(Clock, InvokeAsync, async ct =>
        {
            await ReloadAsync(keepLoaded: true, ct);
            StateHasChanged();
        }, ex => QueueLog.RefreshFailed(Logger, ex));
        var user = (await AuthState).User;
        _actor = user.ActorName();
        _roles = user.RoleNames();
        _agents = (await Agents.ListAsync()).ToDictionary(a => a.Key, a => a.Name, StringComparer.Ordinal);
        Feed.Changed += OnEscalationChanged;
        Notifications.Updated += OnRunUpdated;
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_items is null)
        {
            _selectedId = Id;
            await ReloadAsync(keepLoaded: false);
        }
        else if (Id is { } id && id != _selectedId)
        {
            await SelectAsync(id, navigate: false);
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            if (await Time.EnsureAsync())
            {
                StateHasChanged();
            }

            try
            {
                _self = DotNetObjectReference.Create(this);
                _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/escalations.js");
                _keys = await _module.InvokeAsync<IJSObjectReference>("attach", _self);
                StateHasChanged();
            }
            catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
            {
                // Without the module the page still works with the mouse.
                QueueLog.ShortcutsUnavailable(Logger, ex);
            }
        }
    }

    /// <summary>Loads the counts, the list (as many rows as were shown, when refreshing live) and the selected case.</summary>
    private async Task ReloadAsync(bool keepLoaded, CancellationToken ct = default)
    {
        _live.Loaded();
        var limit = keepLoaded && _items is { Count: > PageSize } shown ? Math.Min(shown.Count, ReviewDesk.MaxPageSize) : PageSize;
        _counts = await Desk.CountAsync(ct);
        var page = await Desk.ListAsync(Query(limit, null), ct);
        _items = [.. page.Items];
        _next = page.NextCursor;
        if (_selectedId is null && _items.Count > 0 && Id is null)
        {
            _selectedId = _items[0].Id;
        }

        await LoadDetailAsync(ct);
    }

    private EscalationQuery Query(int limit, string? cursor) => new(_open, _agent, _kind, _due, _olderThan, cursor, limit);

    private async Task LoadDetailAsync(CancellationToken ct = default)
    {
        _detail = _selectedId is { } id ? await Desk.FindAsync(id, ct) : null;
        _missing = _selectedId is not null && _detail is null;
    }

    private async Task LoadMoreAsync()
    {
        _loadingMore = true;
        try
        {
            var page = await Desk.ListAsync(Query(PageSize, _next));
            _items = [.. _items ?? [], .. page.Items.Where(i => _items?.All(e => e.Id != i.Id) ?? true)];
            _next = page.NextCursor;
        }
        finally
        {
            _loadingMore = false;
        }
    }

    private async Task SelectAsync(Guid id) => await SelectAsync(id, navigate: true);

    private async Task SelectAsync(Guid id, bool navigate)
    {
        // Selection and detail change together, so a shortcut never acts on the previous case's pane.
        var detail = await Desk.FindAsync(id);
        _selectedId = id;
        _detail = detail;
        _missing = detail is null;
        if (navigate)
        {
            // The address follows the selection, so a reload or a shared link opens the same case.
            Navigation.NavigateTo($"/escalations/{id}", replace: true);
        }

        await RevealAsync();
    }

    private async Task RevealAsync()
    {
        if (_module is null || _selectedId is not { } id)
        {
            return;
        }

        try
        {
            await _module.InvokeVoidAsync("reveal", $"[data-testid=escalation-row][data-escalation-id='{id}']");
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException)
        {
            QueueLog.ShortcutsUnavailable(Logger, ex);
        }
    }

    private async Task MoveAsync(int step)
    {
        if (_items is not { Count: > 0 } items)
        {
            return;
        }

        var index = items.FindIndex(i => i.Id == _selectedId);
        var next = index < 0 ? 0 : Math.Clamp(index + step, 0, items.Count - 1);
        if (index != next)
        {
            await SelectAsync(items[next].Id);
        }
    }

    private async Task ShowAsync(bool open)
    {
        if (_open == open)
        {
            return;
        }

        _open = open;
        await FilterChangedAsync();
    }

    /// <summary>A filter changed: the list starts over from its first page, with nothing selected.</summary>
    private Task FilterAsync(Action change)
    {
        change();
        return FilterChangedAsync();
    }

    private async Task FilterChangedAsync()
    {
        _items = null;
        _selectedId = null;
        _detail = null;
        await ReloadAsync(keepLoaded: false);
    }

    private void ToggleHelp() => _showHelp = !_showHelp;

    /// <summary>A decision went through: say so, and move on to the case that took its place.</summary>
    private async Task ResolvedAsync(string message)
    {
        Snackbar.Add(message, Severity.Success);
        var index = _items?.FindIndex(i => i.Id == _selectedId) ?? -1;
        _selectedId = null;
        await ReloadAsync(keepLoaded: true);
        if (_items is { Count: > 0 } items)
        {
            await SelectAsync(items[Math.Clamp(index, 0, items.Count - 1)].Id);
        }
        else
        {
            _detail = null;
            Navigation.NavigateTo("/escalations", replace: true);
        }
    }

    private async Task ChangedAsync() => await ReloadAsync(keepLoaded: true);

    [JSInvokable]
    public async Task OnShortcut(string key)
    {
        switch (key)
        {
            case "j" or "ArrowDown":
                await MoveAsync(1);
                break;
            case "k" or "ArrowUp":
                await MoveAsync(-1);
                break;
            case "?":
                ToggleHelp();
                break;
            case "Escape":
                _showHelp = false;
                if (_review is not null)
                {
                    await _review.CloseFormAsync();
                }

                break;
            default:
                if (_review is not null)
                {
                    await _review.ShortcutAsync(key);
                }

                break;
        }

        StateHasChanged();
    }

    [JSInvokable]
    public async Task OnSubmitField(string field, string value)
    {
        if (_review is not null)
        {
            await _review.SubmitFieldAsync(field, value);
        }

        StateHasChanged();
    }

    private void OnEscalationChanged(EscalationChanged change) => _live.Request();

    private void OnRunUpdated(RunUpdated update)
    {
        if (_detail?.Escalation.RunId == update.RunId || (_items?.Any(i => i.RunId == update.RunId) ?? false))
        {
            _live.Request();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Feed.Changed -= OnEscalationChanged;
        Notifications.Updated -= OnRunUpdated;
        _live.Dispose();
        try
        {
            if (_keys is not null)
            {
                await _keys.InvokeVoidAsync("dispose");
                await _keys.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone, and the listener with its page.
        }

        _self?.Dispose();
    }
}

internal static partial class QueueLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the review queue failed")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The review queue's keyboard module is not available")]
    public static partial void ShortcutsUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A decision on escalation {EscalationId} failed")]
    public static partial void CommandFailed(ILogger logger, Exception exception, Guid escalationId);
}
