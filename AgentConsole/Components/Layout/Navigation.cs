using AgentConsole.Access;
using MudBlazor;

namespace AgentConsole.Components.Layout;

public sealed record NavItem(string Title, string Href, string Icon, string Policy);

/// <summary>The console's navigation; each item names the policy of the page it leads to.</summary>
public static class Navigation
{
    public static readonly IReadOnlyList<NavItem> Items =
    [
        new("Dashboard", "/", Icons.Material.Outlined.Dashboard, Policies.AnyRole),
        new("Agents", "/agents", Icons.Material.Outlined.SmartToy, Policies.AnyRole),
        new("Decision tables", "/decision-tables", Icons.Material.Outlined.TableChart, Policies.AnyRole),
        new("Prompts", "/prompts", Icons.Material.Outlined.EditNote, Policies.ReadPrompts),
        new("Runs", "/runs", Icons.Material.Outlined.PlayCircleOutline, Policies.AnyRole),
        new("Escalations", "/escalations", Icons.Material.Outlined.PanTool, Policies.Escalations),
        new("Alerts", "/alerts", Icons.Material.Outlined.NotificationsActive, Policies.Alerts),
        new("Audit log", "/audit", Icons.Material.Outlined.ManageSearch, Policies.AnyRole),
        new("Triggers", "/triggers", Icons.Material.Outlined.Bolt, Policies.AnyRole),
        new("Tools", "/tools", Icons.Material.Outlined.Build, Policies.Configure),
        new("Sandbox", "/sandbox", Icons.Material.Outlined.Outbox, Policies.AnyRole),
        new("CRM", "/crm", Icons.Material.Outlined.Business, Policies.AnyRole),
        new("Tests", "/tests", Icons.Material.Outlined.FactCheck, Policies.Configure),
        new("Settings", "/settings", Icons.Material.Outlined.Settings, Policies.Admin),
    ];
}
