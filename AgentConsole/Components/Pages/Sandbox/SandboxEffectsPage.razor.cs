using Microsoft.AspNetCore.Components;

namespace AgentConsole.Components.Pages.Sandbox;

/// <summary>The sandbox connectors' effects, one tab per table; the tab lives in the URL (?tab=calendar) so it can be linked.</summary>
public sealed partial class SandboxEffectsPage
{
    private static readonly string[] Tabs = ["outbox", "calendar", "chat"];

    private int _tab;

    [SupplyParameterFromQuery(Name = "tab")] private string? TabParam { get; set; }

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override void OnParametersSet() =>
        _tab = Math.Max(0, Array.IndexOf(Tabs, TabParam?.ToLowerInvariant()));

    private void TabChanged(int index)
    {
        _tab = index;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("tab", Tabs[index]), replace: true);
    }
}
