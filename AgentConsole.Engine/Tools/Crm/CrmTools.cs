namespace AgentConsole.Engine.Tools.Crm;

/// <summary>The CRM connector's tool keys.</summary>
public static class CrmTools
{
    public const string FindCompany = "crm_find_company";
    public const string GetLead = "crm_get_lead";
    public const string UpdateLead = "crm_update_lead";
    public const string CreateTask = "crm_create_task";
    public const string SetLeadStatus = "crm_set_lead_status";
}
