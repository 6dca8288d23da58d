namespace AgentConsole.Components.Pages.Dashboard;

/// <summary>How a figure sits against what is healthy for it.</summary>
public enum KpiTone
{
    Normal,
    Good,
    Warning,
    Bad,
}
