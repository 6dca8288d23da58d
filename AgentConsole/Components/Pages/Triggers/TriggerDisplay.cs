using AgentConsole.Engine.Triggers;
using MudBlazor;

namespace AgentConsole.Components.Pages.Triggers;

/// <summary>Words and colours for triggers and their events, shared by the trigger pages.</summary>
public static class TriggerDisplay
{
    public static string Kind(TriggerKind kind) => kind switch
    {
        TriggerKind.Webhook => "Webhook",
        TriggerKind.Form => "Web form",
        TriggerKind.Schedule => "Schedule",
        TriggerKind.Email => "Email inbox",
        TriggerKind.DatabaseRecord => "New database record",
        TriggerKind.CrmStatus => "CRM status change",
        _ => kind.ToString(),
    };

    public static string Status(TriggerEventStatus status) => status switch
    {
        TriggerEventStatus.FilteredOut => "filtered out",
        TriggerEventStatus.RunStarted => "run started",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static Color StatusColor(TriggerEventStatus status) => status switch
    {
        TriggerEventStatus.RunStarted => Color.Success,
        TriggerEventStatus.FilteredOut => Color.Default,
        TriggerEventStatus.Duplicate => Color.Info,
        TriggerEventStatus.Received => Color.Primary,
        _ => Color.Error,
    };
}
