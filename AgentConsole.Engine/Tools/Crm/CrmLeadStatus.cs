namespace AgentConsole.Engine.Tools.Crm;

/// <summary>Where a lead stands in the sandbox CRM's pipeline.</summary>
public enum CrmLeadStatus
{
    New,
    Contacted,
    Qualified,
    Disqualified,
    Routed,
    Converted,
}
