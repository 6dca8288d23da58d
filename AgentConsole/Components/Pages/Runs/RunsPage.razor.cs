using AgentConsole.Components.Layout;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Runs;
using Microsoft.AspNetCore.Components;

namespace AgentConsole.Components.Pages.Runs;

/// <summary>
/// The runs list. Filters live in the URL; pages follow the engine's keyset cursor. It listens to the run change
/// feed and reloads the page it shows, at most every <see cref="LiveRefresh.Interval"/>, so new runs and status changes
/// appear without a reload even when a busy agent reports many steps a second.
/// </summary>
public sealed partial class RunsPage : IDisposable
{
    public const int PageSize = 25;

    private LiveRefresh _live = null!;

    /// <summary>The cursor each page was loaded with; the last entry is the page on screen (null = newest).</summary>
    private readonly List<string?> _cursors = [null];

    private RunFilter _filter = new();
    private IReadOnlyList<Agent> _agents = [];
    private IReadOnlyList<Run>? _runs;
    private string? _nextCursor;
    private int? _count;
    private string? _error;
    private string? _signature;

    [SupplyParameterFromQuery(Name = "agent")] private string? AgentParam { get; set; }
    [SupplyParameterFromQuery(Name = "status")] private string? StatusParam { get; set; }

    [SupplyParameterFromQuery(Name = "kind")] private string? KindParam { get; set; }
    [SupplyParameterFromQuery(Name = "window")] private string? WindowParam { get; set; }
    [SupplyParameterFromQuery(Name = "trigger")] private string? TriggerParam { get; set; }

    [Inject] private AgentRuns Runs { get; set; } = default!;
    [Inject] private AgentCatalog Agents { get; set; } = default!;
    [Inject] private RunNotifications Notifications { get; set; } = default!;
    [Inject] private BrowserTime Time { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ILogger<RunsPage> Logger { get; set; } = default!;

    private int PageIndex => _cursors.Count - 1;

    private string CountText => _count switch
    {
        null => "Counting…",
        1 => "1 run",
        var n => $"{n.Value:N0} runs",
    };

    protected override void OnInitialized() =>
        _live = new LiveRefresh(Clock, InvokeAsync, async _ =>
        {
            await LoadAsync();
            StateHasChanged();
        }, ex => RunsPageLog.RefreshFailed(Logger, ex));

    protected override async Task OnInitializedAsync()
    {
        _agents = await Agents.ListAsync();
        Notifications.Updated += OnRunUpdated;
    }

    protected override async Task OnParametersSetAsync()
    {
        var signature = $"{AgentParam}|{StatusParam}|{WindowParam}|{TriggerParam}|{KindParam}";
        if (signature == _signature)
        {
            return;
        }

        _signature = signature;
        _filter = RunFilter.Parse(AgentParam, StatusParam, WindowParam, TriggerParam, KindParam);
        _cursors.Clear();
        _cursors.Add(null);
        await LoadAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && await Time.EnsureAsync())
        {
            StateHasChanged();
        }
    }

    private async Task LoadAsync()
    {
        _live.Loaded();
        try
        {
            var now = Clock.GetUtcNow();
            var page = await Runs.ListAsync(_filter.ToQuery(now, _cursors[^1], PageSize), _live.Stopping);
            _runs = page.Items;
            _nextCursor = page.NextCursor;
            _count = await Runs.CountAsync(_filter.ToQuery(now, null, PageSize), _live.Stopping);
            _error = null;
        }
        catch (FormatException ex)
        {
            _error = ex.Message;
            _runs ??= [];
        }
    }

    private void OnRunUpdated(RunUpdated update)
    {
        // Runs of other agents cannot change what a filtered list shows.
        if (_filter.Agent is { } agent && !string.Equals(agent, update.AgentKey, StringComparison.Ordinal))
        {
            return;
        }

        _live.Request();
    }

    private async Task OlderAsync()
    {
        if (_nextCursor is null)
        {
            return;
        }

        _cursors.Add(_nextCursor);
        await LoadAsync();
    }

    private async Task NewerAsync()
    {
        if (_cursors.Count > 1)
        {
            _cursors.RemoveAt(_cursors.Count - 1);
            await LoadAsync();
        }
    }

    private void Open(Run run) => Navigation.NavigateTo($"/runs/{run.Id}");

    private void AgentChanged(string? agent) => Apply(f => f.Agent = agent);

    private void StatusChanged(RunStatus? status) => Apply(f => f.Status = status);

    private void KindChanged(RunKind? kind) => Apply(f => f.Kind = kind == RunKind.Production ? null : kind);

    private void WindowChanged(string? window) => Apply(f => f.Window = window);

    private void TriggerCleared() => Apply(f => f.Trigger = null);

    private void ClearFilters() => Apply(f => (f.Agent, f.Status, f.Window, f.Trigger, f.Kind) = (null, null, null, null, null));

    private void Apply(Action<RunFilter> change)
    {
        var next = RunFilter.Parse(_filter.Agent, _filter.Status?.ToString(), _filter.Window, _filter.Trigger, _filter.Kind?.ToString());
        change(next);
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(next.ToQueryParameters()));
    }

    public void Dispose()
    {
        Notifications.Updated -= OnRunUpdated;
        _live.Dispose();
    }
}

internal static partial class RunsPageLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the runs list failed")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);
}
