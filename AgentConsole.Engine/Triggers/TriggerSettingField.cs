namespace AgentConsole.Engine.Triggers;

/// <summary>How the UI edits one setting of a trigger kind.</summary>
public enum TriggerSettingType
{
    Text,
    Multiline,
    Number,
    Boolean,

    /// <summary>One of <see cref="TriggerSettingField.Options"/>.</summary>
    Select,

    /// <summary>A secret (stored encrypted, never shown again): the field's name is a secret name, not a setting.</summary>
    Secret,

    /// <summary>A JSON value edited as text (e.g. a schedule's fixed payload).</summary>
    Json,

    /// <summary>A web form's field list: label, type, required, options per field.</summary>
    FormFields,

    /// <summary>A list of texts (e.g. CRM statuses), stored as a JSON array of strings.</summary>
    TextList,
}

/// <summary>
/// One setting a trigger kind takes, described so the UI can render the kind's settings without knowing the kind
/// (the handler validates them on save all the same).
/// </summary>
public sealed record TriggerSettingField(
    string Name,
    string Label,
    TriggerSettingType Type,
    bool Required = false,
    string? Help = null,
    IReadOnlyList<string>? Options = null,
    string? Default = null);
