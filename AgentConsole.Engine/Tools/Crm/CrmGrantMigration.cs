namespace AgentConsole.Engine.Tools.Crm;

/// <summary>
/// Hand-written SQL of the CRM migration, kept here so it survives when migrations are regenerated: grants of the
/// retired demo tools move to the CRM tools (crm_lookup → crm_find_company, enroll_in_sequence → crm_update_lead);
/// notify_team grants are dropped here (the chat connector's migration maps them), never mapped to a CRM write.
/// </summary>
public static class CrmGrantMigration
{
    public const string UpSql = """
        UPDATE Agents SET ToolGrants = (
            SELECT json_group_array(json_object(
                'Tool', CASE json_extract(value, '$.Tool')
                            WHEN 'crm_lookup' THEN 'crm_find_company'
                            WHEN 'enroll_in_sequence' THEN 'crm_update_lead'
                            ELSE json_extract(value, '$.Tool') END,
                'Scope', json_extract(value, '$.Scope')))
            FROM json_each(Agents.ToolGrants)
            WHERE json_extract(value, '$.Tool') <> 'notify_team')
        WHERE ToolGrants IS NOT NULL AND json_valid(ToolGrants);
        """;
}
