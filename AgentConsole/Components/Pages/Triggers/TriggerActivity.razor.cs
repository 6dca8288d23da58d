using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Components.Layout;
using AgentConsole.Engine.Triggers;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AgentConsole.Components.Pages.Triggers;

/// <summary>
/// A trigger's volume for tuning (chart and table per UTC day, 14 or 30 days) and its inbox, newest first, paged with
/// the engine's cursor; an event opens with its payload, and a run link where it started one.
/// </summary>
public sealed partial class TriggerActivity
{
    public const int PageSize = 25;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly List<string?> _cursors = [null];
    private int _days = 14;
    private IReadOnlyList<TriggerDayStats>? _stats;
    private List<ChartSeries<double>> _series = [];
    private string[] _labels = [];
    private TriggerEventPage? _events;
    private TriggerEvent? _selected;
    private Guid? _loadedFor;

    [Parameter, EditorRequired] public Trigger Trigger { get; set; } = default!;

    /// <summary>An event to open at once (a run's "started by" link).</summary>
    [Parameter] public Guid? SelectedEvent { get; set; }

    [Inject] private TriggerStatistics Statistics { get; set; } = default!;
    [Inject] private BrowserTime Time { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == Trigger.Id)
        {
            return;
        }

        _loadedFor = Trigger.Id;
        await LoadStatsAsync();
        await LoadEventsAsync();
        if (SelectedEvent is { } id)
        {
            await SelectAsync(id);
        }
    }

    private async Task DaysChanged(int days)
    {
        _days = days;
        await LoadStatsAsync();
    }

    private async Task LoadStatsAsync()
    {
        var stats = await Statistics.DailyAsync(Trigger.Id, _days);
        _stats = stats;
        _labels = [.. stats.Select((d, i) => i % (_days > 14 ? 3 : 2) == 0 ? d.Date.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "")];
        _series =
        [
            Series("Received", stats.Select(d => d.Received)),
            Series("Matched", stats.Select(d => d.Matched)),
            Series("Filtered out", stats.Select(d => d.FilteredOut)),
            Series("Rejected", stats.Select(d => d.Rejected)),
            Series("Duplicates", stats.Select(d => d.Duplicates)),
            Series("Runs started", stats.Select(d => d.RunsStarted)),
        ];
    }

    private static ChartSeries<double> Series(string name, IEnumerable<int> values) =>
        new() { Name = name, Data = new ChartData<double>([.. values.Select(v => (double)v)]) };

    private async Task LoadEventsAsync() => _events = await Statistics.EventsAsync(Trigger.Id, _cursors[^1], PageSize);

    private async Task OlderAsync()
    {
        if (_events?.NextCursor is { } next)
        {
            _cursors.Add(next);
            await LoadEventsAsync();
        }
    }

    private async Task NewerAsync()
    {
        if (_cursors.Count > 1)
        {
            _cursors.RemoveAt(_cursors.Count - 1);
            await LoadEventsAsync();
        }
    }

    private async Task SelectAsync(Guid id)
    {
        var found = await Statistics.EventAsync(id);
        _selected = found?.TriggerId == Trigger.Id ? found : null;
    }

    private static string PayloadText(TriggerEvent e)
    {
        if (e.PayloadJson is null)
        {
            return e.Status is TriggerEventStatus.Rejected or TriggerEventStatus.Duplicate ? "(not kept: rejected and duplicate events are stored without their body)" : "(no payload)";
        }

        try
        {
            return JsonNode.Parse(e.PayloadJson)?.ToJsonString(Indented) ?? e.PayloadJson;
        }
        catch (JsonException)
        {
            return e.PayloadJson;
        }
    }
}
