namespace AgentConsole.Engine.Tools.Crm;

/// <summary>
/// Hand-written SQL of the CRM migration, kept here so it survives when migrations are regenerated: grants of the
/// retired demo tools move to the tools that replace them: crm_lookup → crm_find_company, enroll_in_sequence →
/// crm_update_lead, notify_team → chat_notify (a team-channel post, as before).
/// </summary>
public static class CrmGrantMigration
{
    public const string UpSql = """
        UPDATE Agents SET ToolGrants = (
            SELECT json_group_array(json_object(
                'Tool', CASE json_extract(value, '$.Tool')
                            WHEN 'crm_lookup' THEN 'crm_find_company'
                            WHEN 'enroll_in_sequence' THEN 'crm_update_lead'
                            WHEN 'notify_team' THEN 'chat_notify'
                            ELSE json_extract(value, '$.Tool') END,
                'Scope', json_extract(value, '$.Scope')))
            FROM json_each(Agents.ToolGrants))
        WHERE ToolGrants IS NOT NULL AND json_valid(ToolGrants);
        """;
}
