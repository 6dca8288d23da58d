using System.Globalization;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Prompts;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// The configuration a draft is tried under (by an evaluation, a replay or "Try it"): a prompt version (null: the built-in
/// prompt) and decision versions. Unless told otherwise it is the draft an owner is working on: the latest prompt draft,
/// else the published prompt; for each decision bound to the agent its draft, else its published version.
/// </summary>
public sealed record EvaluationTarget(Guid? PromptVersionId, int? PromptVersionNumber, string DecisionVersionsJson)
{
    /// <summary>Resolves the target; null with the refusal (not found / invalid) when a named version or decision does not exist.</summary>
    public static async Task<(EvaluationTarget? Target, EvaluationStartResult? Refusal)> ResolveAsync(
        AgentConsoleDbContext db, DecisionCatalog decisions, string agentKey, Guid? promptVersionId, int? promptVersionNumber,
        IReadOnlyDictionary<string, int>? decisionVersions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(decisions);
        var versions = await db.PromptVersions.AsNoTracking().Where(v => v.AgentKey == agentKey)
            .Select(v => new { v.Id, v.Number, v.Status }).ToListAsync(ct);
        (Guid Id, int Number)? prompt;
        if (promptVersionId is not null || promptVersionNumber is not null)
        {
            var found = versions.FirstOrDefault(v => promptVersionId is { } id ? v.Id == id : v.Number == promptVersionNumber);
            if (found is null)
            {
                return (null, EvaluationStartResult.NotFound($"Agent '{agentKey}' has no prompt version {(object?)promptVersionId ?? promptVersionNumber}."));
            }

            prompt = (found.Id, found.Number);
        }
        else
        {
            var chosen = versions.Where(v => v.Status == PromptVersionStatus.Draft).MaxBy(v => v.Number)
                ?? versions.FirstOrDefault(v => v.Status == PromptVersionStatus.Published);
            prompt = chosen is null ? null : (chosen.Id, chosen.Number);
        }

        var summaries = await decisions.ListAsync(agentKey, ct);
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var summary in summaries)
        {
            if ((summary.DraftVersion ?? summary.PublishedVersion) is { } n)
            {
                map[summary.Key] = n;
            }
        }

        foreach (var (decisionKey, number) in decisionVersions ?? new Dictionary<string, int>())
        {
            var summary = summaries.FirstOrDefault(s => string.Equals(s.Key, decisionKey.Trim(), StringComparison.OrdinalIgnoreCase));
            if (summary is null)
            {
                return (null, EvaluationStartResult.Invalid($"Decision '{decisionKey}' is not bound to agent '{agentKey}'; its runs do not evaluate it."));
            }

            if (await decisions.LoadAsync(summary.Key, number.ToString(CultureInfo.InvariantCulture), ct) is null)
            {
                return (null, EvaluationStartResult.NotFound($"Decision '{summary.Key}' has no version {number}."));
            }

            map[summary.Key] = number;
        }

        return (new EvaluationTarget(prompt?.Id, prompt?.Number, DecisionVersionMap.Write(map)), null);
    }

    /// <summary>Reads "3", "v3" or a version id as given to the API; false when it is neither.</summary>
    public static bool TryParsePromptVersion(string? text, out Guid? id, out int? number)
    {
        (id, number) = (null, null);
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var trimmed = text.Trim().TrimStart('v', 'V');
        if (Guid.TryParse(trimmed, out var guid))
        {
            id = guid;
            return true;
        }

        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            number = n;
            return true;
        }

        return false;
    }

    public string Describe() =>
        $"{(PromptVersionNumber is { } n ? $"prompt v{n}" : "the built-in prompt")}; decisions: {DecisionVersionMap.Describe(DecisionVersionsJson)}";
}
