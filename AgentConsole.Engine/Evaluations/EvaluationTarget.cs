using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Prompts;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// The configuration a draft is tried under: a prompt version (null: the built-in default) and decision versions.
/// Unless told otherwise it is the draft an owner is working on: the latest prompt draft, else the published prompt; for
/// each decision bound to the agent its draft, else its published version.
/// </summary>
public sealed record EvaluationTarget(Guid? PromptVersionId, int? PromptVersionNumber, string DecisionVersionsJson)
{
    /// <summary>Resolves the target; null with <paramref name="error"/> set when a named version does not exist.</summary>
    public static async Task<(EvaluationTarget? Target, string? Error)> ResolveAsync(
        AgentConsoleDbContext db, DecisionCatalog decisions, string agentKey, string? promptVersion, IReadOnlyDictionary<string, int>? decisionVersions,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(decisions);
        PromptVersion? prompt;
        if (string.IsNullOrWhiteSpace(promptVersion))
        {
            var versions = db.PromptVersions.AsNoTracking().Where(v => v.AgentKey == agentKey);
            prompt = await versions.Where(v => v.Status == PromptVersionStatus.Draft).OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct)
                ?? await versions.FirstOrDefaultAsync(v => v.Status == PromptVersionStatus.Published, ct);
        }
        else
        {
            var text = promptVersion.Trim().TrimStart('v', 'V');
            prompt = Guid.TryParse(text, out var id)
                ? await db.PromptVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id && v.AgentKey == agentKey, ct)
                : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                    ? await db.PromptVersions.AsNoTracking().SingleOrDefaultAsync(v => v.AgentKey == agentKey && v.Number == number, ct)
                    : null;
            if (prompt is null)
            {
                return (null, $"Agent '{agentKey}' has no prompt version '{promptVersion}'.");
            }
        }

        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var decision in await decisions.ListAsync(agentKey, ct))
        {
            if (decisionVersions is not null && decisionVersions.TryGetValue(decision.Key, out var asked))
            {
                if (await decisions.LoadAsync(decision.Key, asked.ToString(System.Globalization.CultureInfo.InvariantCulture), ct) is null)
                {
                    return (null, $"Decision '{decision.Key}' has no version {asked}.");
                }

                map[decision.Key] = asked;
            }
            else if ((decision.DraftVersion ?? decision.PublishedVersion) is { } current)
            {
                map[decision.Key] = current;
            }
        }

        if (decisionVersions is not null && decisionVersions.Keys.FirstOrDefault(k => !map.ContainsKey(k)) is { } unknown)
        {
            return (null, $"Decision '{unknown}' is not bound to agent '{agentKey}'.");
        }

        return (new EvaluationTarget(prompt?.Id, prompt?.Number, DecisionVersionMap.Write(map)), null);
    }

    public string Describe() =>
        $"{(PromptVersionNumber is { } n ? $"prompt v{n}" : "the built-in prompt")}; decisions: {DecisionVersionMap.Describe(DecisionVersionsJson)}";
}
