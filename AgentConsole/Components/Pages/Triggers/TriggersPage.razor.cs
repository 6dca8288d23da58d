using AgentConsole.Components.Layout;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Triggers;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Components.Pages.Triggers;

/// <summary>Every trigger with its health and recent volume; the agent filter lives in the URL (<c>?agent=</c>).</summary>
public sealed partial class TriggersPage
{
    private IReadOnlyList<Agent> _agents = [];
    private List<TriggerRow>? _rows;

    [SupplyParameterFromQuery(Name = "agent")] private string? Agent { get; set; }

    [Inject] private TriggerCatalog Catalog { get; set; } = default!;
    [Inject] private AgentCatalog Agents { get; set; } = default!;
    [Inject] private IDbContextFactory<AgentConsoleDbContext> DbFactory { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private BrowserTime Time { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private string NewHref => Agent is null ? "/triggers/new" : $"/triggers/new?agent={Agent}";

    protected override async Task OnInitializedAsync() => _agents = await Agents.ListAsync();

    protected override async Task OnParametersSetAsync()
    {
        var triggers = await Catalog.ListAsync(string.IsNullOrWhiteSpace(Agent) ? null : Agent);
        var first = TriggerEvent.DayOf(Clock.GetUtcNow()) - 6;
        var ids = triggers.Select(t => t.Id).ToList();
        await using var db = await DbFactory.CreateDbContextAsync();
        var counts = await db.TriggerEvents.AsNoTracking()
            .Where(e => ids.Contains(e.TriggerId) && e.Day >= first)
            .GroupBy(e => e.TriggerId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count);
        var rows = new List<TriggerRow>(triggers.Count);
        foreach (var trigger in triggers)
        {
            // One indexed look-up per trigger (TriggerId, ReceivedAt); a list page holds few triggers.
            var last = await db.TriggerEvents.AsNoTracking().Where(e => e.TriggerId == trigger.Id)
                .OrderByDescending(e => e.ReceivedAt).Select(e => (DateTimeOffset?)e.ReceivedAt).FirstOrDefaultAsync();
            rows.Add(new TriggerRow(trigger, counts.GetValueOrDefault(trigger.Id), last));
        }

        _rows = rows;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && await Time.EnsureAsync())
        {
            StateHasChanged();
        }
    }

    private string AgentName(string key) => _agents.FirstOrDefault(a => a.Key == key)?.Name ?? key;

    private void AgentChanged(string? agent) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("agent", agent));
}
