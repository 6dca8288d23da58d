namespace AgentConsole.Engine.Tools.Crm;

/// <summary>What one write to the sandbox CRM did.</summary>
public enum CrmChangeKind
{
    LeadCreated,
    LeadUpdated,
    StatusSet,
    TaskCreated,
    CompanyCreated,
    CompanyUpdated,
}
