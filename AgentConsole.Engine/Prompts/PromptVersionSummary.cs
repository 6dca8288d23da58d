namespace AgentConsole.Engine.Prompts;

/// <summary>A prompt version as lists show it: who wrote and published it, when, and how its lint reads.</summary>
public sealed record PromptVersionSummary(
    Guid Id,
    string AgentKey,
    int Number,
    PromptVersionStatus Status,
    string? Note,
    int Revision,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    DateTimeOffset? PublishedAt,
    string? PublishedBy,
    DateTimeOffset? RetiredAt,
    string? GateOverrideReason,
    LintSummary Lint)
{
    /// <summary>A retired version that was live once: it passed the gate then, so it may be published again.</summary>
    public bool CanRollBack => Status == PromptVersionStatus.Retired && PublishedAt is not null;

    public static PromptVersionSummary From(PromptVersion v, LintSummary lint)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(v.Id, v.AgentKey, v.Number, v.Status, v.Note, v.Revision, v.CreatedAt, v.CreatedBy, v.UpdatedAt, v.UpdatedBy,
            v.PublishedAt, v.PublishedBy, v.RetiredAt, v.GateOverrideReason, lint);
    }
}
