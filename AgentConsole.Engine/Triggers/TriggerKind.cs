namespace AgentConsole.Engine.Triggers;

/// <summary>What activates an agent (the practice guide's step 3).</summary>
public enum TriggerKind
{
    /// <summary><c>POST /hooks/{triggerKey}</c>, signed with HMAC-SHA256 or a bearer secret.</summary>
    Webhook,

    /// <summary>A public page <c>/forms/{formKey}</c> rendered from a field list.</summary>
    Form,

    /// <summary>A cron expression in a time zone.</summary>
    Schedule,

    /// <summary>New messages in an IMAP folder.</summary>
    Email,

    /// <summary>New rows of a SQL query with a high-water-mark column.</summary>
    DatabaseRecord,

    /// <summary>A lead's status changed in the CRM connector.</summary>
    CrmStatus,
}
