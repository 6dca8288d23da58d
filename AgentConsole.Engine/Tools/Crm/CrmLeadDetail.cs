namespace AgentConsole.Engine.Tools.Crm;

/// <summary>A lead with its status history, tasks and every change made to it (newest first).</summary>
public sealed record CrmLeadDetail(
    CrmLead Lead,
    IReadOnlyList<CrmStatusChange> History,
    IReadOnlyList<CrmTask> Tasks,
    IReadOnlyList<CrmChange> Changes);
