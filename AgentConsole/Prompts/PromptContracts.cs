using AgentConsole.Engine.Prompts;

namespace AgentConsole.Prompts;

/// <summary>
/// A new draft: <c>sections</c> (role, tools, boundaries, commonPath, edgeCases, prohibitions; Markdown), or
/// <c>from</c> = a version number to copy ("new draft from v3"); <c>note</c> says what changes and why.
/// </summary>
public sealed record CreatePromptRequest(PromptSections? Sections, string? Note = null, int? From = null);

/// <summary>Saves a draft; <c>revision</c> (or an If-Match header) is the revision you edited.</summary>
public sealed record SavePromptRequest(PromptSections? Sections, int? Revision = null, string? Note = null);

/// <summary>An Admin's written reason to publish without a passing evaluation.</summary>
public sealed record PublishPromptRequest(string? OverrideReason = null);

public sealed record PromptVersionResponse(
    Guid Id, string Agent, int Number, PromptVersionStatus Status, string? Note, int Revision, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset UpdatedAt, string UpdatedBy, DateTimeOffset? PublishedAt, string? PublishedBy, DateTimeOffset? RetiredAt,
    string? GateOverrideReason, LintSummary Lint)
{
    public static PromptVersionResponse From(PromptVersionSummary v) => new(v.Id, v.AgentKey, v.Number, v.Status, v.Note, v.Revision, v.CreatedAt,
        v.CreatedBy, v.UpdatedAt, v.UpdatedBy, v.PublishedAt, v.PublishedBy, v.RetiredAt, v.GateOverrideReason, v.Lint);
}

/// <summary>One version in full: its sections, the system prompt runs send, and the full lint.</summary>
public sealed record PromptVersionDetailResponse(
    Guid Id, string Agent, int Number, PromptVersionStatus Status, string? Note, int Revision, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset UpdatedAt, string UpdatedBy, DateTimeOffset? PublishedAt, string? PublishedBy, DateTimeOffset? RetiredAt,
    string? GateOverrideReason, PromptSections Sections, string Text, LintReport Lint)
{
    public static PromptVersionDetailResponse From(PromptVersion v, string text, LintReport lint) => new(v.Id, v.AgentKey, v.Number, v.Status, v.Note,
        v.Revision, v.CreatedAt, v.CreatedBy, v.UpdatedAt, v.UpdatedBy, v.PublishedAt, v.PublishedBy, v.RetiredAt, v.GateOverrideReason, v.Sections,
        text, lint);
}

public sealed record PromptDiffResponse(string Agent, int From, int To, IReadOnlyList<PromptSectionDiff> Sections);
