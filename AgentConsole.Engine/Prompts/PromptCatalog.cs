using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Tools;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Prompts;

/// <summary>
/// An agent's prompt versions: drafts (several may exist; "the latest draft" is the highest-numbered one), one
/// published version that production runs use, and retired ones. Publishing goes through the <see cref="PublishGate"/>
/// unless an Admin writes why not; a version that was live before may be published again (rollback) without a new
/// evaluation. Every change is audited with its author.
/// </summary>
public sealed class PromptCatalog(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    AuditLog audit,
    PublishGate gate,
    ToolRegistry tools,
    TimeProvider time)
{
    /// <summary>Per section; a section longer than this is a second agent hiding in the first.</summary>
    public const int MaxSectionCharacters = 20_000;

    public const int MaxNoteCharacters = 2_000;
    public const int MaxOverrideReasonCharacters = 2_000;

    /// <summary>The lint of <paramref name="sections"/> for <paramref name="agent"/>'s tool grants.</summary>
    public LintReport Lint(Agent agent, PromptSections sections) => PromptLint.Check(sections, PromptLint.ToolsFor(tools, agent));

    /// <summary>The agent's versions, newest first; null when there is no such agent.</summary>
    public async Task<IReadOnlyList<PromptVersionSummary>?> ListAsync(string agentKey, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var agent = await FindAgentAsync(db, agentKey, ct);
        if (agent is null)
        {
            return null;
        }

        var versions = await db.PromptVersions.AsNoTracking().Where(v => v.AgentKey == agent.Key).OrderByDescending(v => v.Number).ToListAsync(ct);
        var lintTools = PromptLint.ToolsFor(tools, agent);
        return [.. versions.Select(v => PromptVersionSummary.From(v, PromptLint.Check(v.Sections, lintTools).Summary))];
    }

    /// <summary>Every agent with its published version, its drafts and the lint of the version people work on.</summary>
    public async Task<IReadOnlyList<PromptAgentOverview>> OverviewAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var agents = await db.Agents.AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);
        var versions = await db.PromptVersions.AsNoTracking().Where(v => v.Status != PromptVersionStatus.Retired).ToListAsync(ct);
        var byAgent = versions.ToLookup(v => v.AgentKey, StringComparer.Ordinal);
        return [.. agents.Select(a =>
        {
            var live = byAgent[a.Key].ToList();
            var published = live.FirstOrDefault(v => v.Status == PromptVersionStatus.Published);
            var drafts = live.Where(v => v.Status == PromptVersionStatus.Draft).OrderByDescending(v => v.Number).ToList();
            var current = drafts.FirstOrDefault() ?? published;
            return new PromptAgentOverview(a.Key, a.Name, published?.Number, [.. drafts.Select(d => d.Number)],
                current is null ? null : Lint(a, current.Sections).Summary);
        })];
    }

    public async Task<PromptVersion?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PromptVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct);
    }

    public async Task<PromptVersion?> FindAsync(string agentKey, int number, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = NormalizeKey(agentKey);
        return await db.PromptVersions.AsNoTracking().SingleOrDefaultAsync(v => v.AgentKey == key && v.Number == number, ct);
    }

    /// <summary>The highest-numbered draft, else the published version, else null: what the workbench opens on.</summary>
    public async Task<PromptVersion?> CurrentAsync(string agentKey, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = NormalizeKey(agentKey);
        var candidates = await db.PromptVersions.AsNoTracking()
            .Where(v => v.AgentKey == key && v.Status != PromptVersionStatus.Retired).ToListAsync(ct);
        return candidates.Where(v => v.Status == PromptVersionStatus.Draft).MaxBy(v => v.Number)
            ?? candidates.FirstOrDefault(v => v.Status == PromptVersionStatus.Published);
    }

    /// <summary>Errors keyed by field ("sections.role"); empty when the sections may be stored.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(PromptSections? sections, string? note = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (sections is null)
        {
            errors["sections"] = ["Send the prompt's sections: role, tools, boundaries, commonPath, edgeCases, prohibitions."];
            return errors;
        }

        foreach (var (key, heading, text) in sections.InOrder())
        {
            if (text is null)
            {
                errors[$"sections.{key}"] = [$"{heading} must be text (send \"\" for an empty section)."];
            }
            else if (text.Length > MaxSectionCharacters)
            {
                errors[$"sections.{key}"] = [$"{heading} has {text.Length:N0} characters; a section may hold at most {MaxSectionCharacters:N0}. Shorten it, or split the agent."];
            }
        }

        if (note is { Length: > MaxNoteCharacters })
        {
            errors["note"] = [$"The note may hold at most {MaxNoteCharacters:N0} characters."];
        }

        return errors;
    }

    /// <summary>
    /// A new draft numbered after the agent's highest version: from <paramref name="sections"/>, or a copy of version
    /// <paramref name="fromNumber"/> ("new draft from v3"), or empty.
    /// </summary>
    public async Task<PromptChangeResult> CreateDraftAsync(
        string agentKey, PromptSections? sections, int? fromNumber, string? note, string actor, CancellationToken ct = default)
    {
        if (sections is not null && Validate(sections, note) is { Count: > 0 } errors)
        {
            return Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var agent = await FindAgentAsync(db, agentKey, ct);
        if (agent is null)
        {
            return AgentNotFound(agentKey);
        }

        var existing = await db.PromptVersions.AsNoTracking().Where(v => v.AgentKey == agent.Key).ToListAsync(ct);
        PromptVersion? source = null;
        if (fromNumber is { } from)
        {
            source = existing.FirstOrDefault(v => v.Number == from);
            if (source is null)
            {
                return new(PromptChangeOutcome.NotFound, $"'{agent.Name}' has no prompt v{from} to copy.");
            }
        }

        var now = time.GetUtcNow();
        var draft = new PromptVersion
        {
            Id = Guid.NewGuid(),
            AgentKey = agent.Key,
            Number = existing.Count == 0 ? 1 : existing.Max(v => v.Number) + 1,
            Status = PromptVersionStatus.Draft,
            Sections = (sections ?? source?.Sections ?? new PromptSections()).Clone(),
            Note = string.IsNullOrWhiteSpace(note) ? source is null ? null : $"Copied from v{source.Number}" : note.Trim(),
            CreatedAt = now,
            CreatedBy = actor,
            UpdatedAt = now,
            UpdatedBy = actor,
            Revision = 1,
        };
        db.PromptVersions.Add(draft);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "prompt.draft-created", AuditActor.Parse(actor),
            source is null ? $"Prompt draft v{draft.Number} of '{agent.Name}' created" : $"Prompt draft v{draft.Number} of '{agent.Name}' created from v{source.Number}",
            new { agentKey = agent.Key, version = draft.Number, from = source?.Number, note = draft.Note, words = PromptLint.CountWords(string.Join("\n", draft.Sections.InOrder().Select(s => s.Text))) },
            agent.Key));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The (agent, number) index: someone created a version at the same moment.
            return new(PromptChangeOutcome.Conflict, $"Someone created a prompt version of '{agent.Name}' at the same moment. Try again.");
        }

        return new(PromptChangeOutcome.Done, null, draft);
    }

    /// <summary>Saves a draft. Pass the revision you edited: a save in between is a conflict, never overwritten.</summary>
    public async Task<PromptChangeResult> SaveDraftAsync(
        Guid id, PromptSections sections, int? expectedRevision, string? note, string actor, CancellationToken ct = default)
    {
        if (Validate(sections, note) is { Count: > 0 } errors)
        {
            return Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await db.PromptVersions.SingleOrDefaultAsync(v => v.Id == id, ct);
        if (version is null)
        {
            return VersionNotFound(id);
        }

        if (version.Status != PromptVersionStatus.Draft)
        {
            return new(PromptChangeOutcome.Conflict,
                $"v{version.Number} is {version.Status.ToString().ToLowerInvariant()}, not a draft: only drafts can be edited. Start a new draft from it instead.", version);
        }

        if (expectedRevision is { } expected && expected != version.Revision)
        {
            return new(PromptChangeOutcome.Conflict,
                $"Draft v{version.Number} was saved by {version.UpdatedBy} after you opened it (revision {version.Revision}, yours {expected}). Reload to see their changes; your edits stay in the editor.", version);
        }

        var changed = version.Sections.InOrder().Zip(sections.InOrder())
            .Where(p => !string.Equals(p.First.Text, p.Second.Text, StringComparison.Ordinal)).Select(p => p.First.Key).ToArray();
        CopyInto(version.Sections, sections);
        version.Note = note is null ? version.Note : string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        version.Revision++;
        version.UpdatedAt = time.GetUtcNow();
        version.UpdatedBy = actor;
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "prompt.draft-saved", AuditActor.Parse(actor),
            $"Prompt draft v{version.Number} of '{version.AgentKey}' saved: {changed.Length} section(s) changed",
            new { agentKey = version.AgentKey, version = version.Number, revision = version.Revision, changedSections = changed, note = version.Note },
            version.AgentKey));
        return await SaveAsync(db, version, null, ct);
    }

    /// <summary>
    /// Publishes a draft once the publish gate is met; the version published before is retired. Without a passing
    /// evaluation only an Admin may publish, with a written reason that is stored and audited.
    /// </summary>
    public async Task<PromptChangeResult> PublishAsync(Guid id, string actor, bool isAdmin, string? overrideReason, CancellationToken ct = default)
    {
        if (overrideReason is { Length: > MaxOverrideReasonCharacters })
        {
            return Invalid(new Dictionary<string, string[]> { ["overrideReason"] = [$"The override reason may hold at most {MaxOverrideReasonCharacters:N0} characters."] });
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await db.PromptVersions.SingleOrDefaultAsync(v => v.Id == id, ct);
        if (version is null)
        {
            return VersionNotFound(id);
        }

        if (version.Status != PromptVersionStatus.Draft)
        {
            return new(PromptChangeOutcome.Conflict, version.Status == PromptVersionStatus.Published
                ? $"v{version.Number} is already the published version."
                : version.PublishedAt is null
                    ? $"v{version.Number} was discarded; start a new draft from it to publish its text."
                    : $"v{version.Number} is retired; roll back to it to publish it again.", version);
        }

        var verdict = await gate.CheckPromptAsync(version.AgentKey, version.Id, version.Number, ct);
        string? reason = null;
        if (!verdict.Passed)
        {
            if (string.IsNullOrWhiteSpace(overrideReason))
            {
                return new(PromptChangeOutcome.GateRefused, verdict.Message, version) { Gate = verdict };
            }

            if (!isAdmin)
            {
                return new(PromptChangeOutcome.Forbidden, $"{verdict.Message} Only an Admin may publish without a passing evaluation.", version) { Gate = verdict };
            }

            reason = overrideReason.Trim();
        }

        var replaced = await MakePublishedAsync(db, version, actor, ct);
        version.GateOverrideReason = reason;
        var summary = reason is null
            ? $"Prompt v{version.Number} of '{version.AgentKey}' published{Replacing(replaced)}"
            : $"Prompt v{version.Number} of '{version.AgentKey}' published by Admin override of the publish gate{Replacing(replaced)}";
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, reason is null ? "prompt.published" : "prompt.published-override", AuditActor.Parse(actor), summary,
            new { agentKey = version.AgentKey, version = version.Number, replaced = replaced?.Number, gate = verdict.Message, evaluationId = verdict.EvaluationId, passRate = verdict.PassRate, threshold = verdict.Threshold, overrideReason = reason },
            version.AgentKey));
        return await SaveAsync(db, version, verdict, ct);
    }

    /// <summary>Publishes again a retired version that was live before; it passed the gate when it went live.</summary>
    public async Task<PromptChangeResult> RollbackAsync(Guid id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await db.PromptVersions.SingleOrDefaultAsync(v => v.Id == id, ct);
        if (version is null)
        {
            return VersionNotFound(id);
        }

        if (version.Status != PromptVersionStatus.Retired || version.PublishedAt is null)
        {
            return new(PromptChangeOutcome.Conflict, version.Status switch
            {
                PromptVersionStatus.Published => $"v{version.Number} is already the published version.",
                PromptVersionStatus.Draft => $"v{version.Number} is a draft that was never published; publish it instead of rolling back to it.",
                _ => $"v{version.Number} was discarded without ever being published, so there is nothing to roll back to.",
            }, version);
        }

        var replaced = await MakePublishedAsync(db, version, actor, ct);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "prompt.rolled-back", AuditActor.Parse(actor),
            $"Prompt of '{version.AgentKey}' rolled back to v{version.Number}{Replacing(replaced)}",
            new { agentKey = version.AgentKey, version = version.Number, replaced = replaced?.Number },
            version.AgentKey));
        return await SaveAsync(db, version, null, ct);
    }

    /// <summary>Discards a draft: it stays on record as retired (never published) and can be copied into a new draft.</summary>
    public async Task<PromptChangeResult> RetireDraftAsync(Guid id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await db.PromptVersions.SingleOrDefaultAsync(v => v.Id == id, ct);
        if (version is null)
        {
            return VersionNotFound(id);
        }

        if (version.Status != PromptVersionStatus.Draft)
        {
            return new(PromptChangeOutcome.Conflict, $"v{version.Number} is {version.Status.ToString().ToLowerInvariant()}, not a draft; only drafts can be discarded.", version);
        }

        var now = time.GetUtcNow();
        version.Status = PromptVersionStatus.Retired;
        version.RetiredAt = now;
        version.UpdatedAt = now;
        version.UpdatedBy = actor;
        version.Revision++;
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "prompt.draft-discarded", AuditActor.Parse(actor),
            $"Prompt draft v{version.Number} of '{version.AgentKey}' discarded",
            new { agentKey = version.AgentKey, version = version.Number }, version.AgentKey));
        return await SaveAsync(db, version, null, ct);
    }

    /// <summary>Section-by-section line diff from version <paramref name="from"/> to <paramref name="to"/>; null when either is missing.</summary>
    public async Task<IReadOnlyList<PromptSectionDiff>?> DiffAsync(string agentKey, int from, int to, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = NormalizeKey(agentKey);
        var pair = await db.PromptVersions.AsNoTracking().Where(v => v.AgentKey == key && (v.Number == from || v.Number == to)).ToListAsync(ct);
        var a = pair.FirstOrDefault(v => v.Number == from);
        var b = pair.FirstOrDefault(v => v.Number == to);
        return a is null || b is null ? null : Diff(a.Sections, b.Sections);
    }

    public static IReadOnlyList<PromptSectionDiff> Diff(PromptSections from, PromptSections to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return [.. from.InOrder().Zip(to.InOrder()).Select(p => new PromptSectionDiff(p.First.Key, p.First.Heading, LineDiff.Compare(p.First.Text, p.Second.Text)))];
    }

    /// <summary>
    /// The demo's first prompt: stored as published v1 when the agent has no prompt version yet (so seeding twice adds
    /// nothing), audited as the system's. It is the prompt the workspace starts from, before any test set exists.
    /// </summary>
    public async Task<bool> SeedPublishedAsync(string agentKey, PromptSections sections, string note, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var agent = await FindAgentAsync(db, agentKey, ct);
        if (agent is null || await db.PromptVersions.AnyAsync(v => v.AgentKey == agent.Key, ct))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var version = new PromptVersion
        {
            Id = Guid.NewGuid(),
            AgentKey = agent.Key,
            Number = 1,
            Status = PromptVersionStatus.Published,
            Sections = sections.Clone(),
            Note = note,
            CreatedAt = now,
            CreatedBy = "system",
            UpdatedAt = now,
            UpdatedBy = "system",
            PublishedAt = now,
            PublishedBy = "system",
            Revision = 1,
        };
        db.PromptVersions.Add(version);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "prompt.seeded", AuditActor.System,
            $"Prompt v1 of '{agent.Name}' seeded as published", new { agentKey = agent.Key, version = 1, note }, agent.Key));
        await db.SaveChangesAsync(ct);
        return true;
    }

    private async Task<PromptVersion?> MakePublishedAsync(AgentConsoleDbContext db, PromptVersion version, string actor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var current = await db.PromptVersions.SingleOrDefaultAsync(v => v.AgentKey == version.AgentKey && v.Status == PromptVersionStatus.Published, ct);
        if (current is not null)
        {
            current.Status = PromptVersionStatus.Retired;
            current.RetiredAt = now;
            current.Revision++;
        }

        version.Status = PromptVersionStatus.Published;
        version.PublishedAt = now;
        version.PublishedBy = actor;
        version.RetiredAt = null;
        version.UpdatedAt = now;
        version.UpdatedBy = actor;
        version.Revision++;
        return current;
    }

    private static async Task<PromptChangeResult> SaveAsync(AgentConsoleDbContext db, PromptVersion version, PublishGateResult? verdict, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new(PromptChangeOutcome.Conflict, $"v{version.Number} was changed by someone else at the same moment. Reload and try again.");
        }

        return new(PromptChangeOutcome.Done, null, version) { Gate = verdict };
    }

    private static string Replacing(PromptVersion? replaced) => replaced is null ? "" : $", replacing v{replaced.Number}";

    private static void CopyInto(PromptSections target, PromptSections source)
    {
        // The tracked owned instance is updated in place: EF Core maps it to one JSON column.
        target.Role = source.Role;
        target.Tools = source.Tools;
        target.Boundaries = source.Boundaries;
        target.CommonPath = source.CommonPath;
        target.EdgeCases = source.EdgeCases;
        target.Prohibitions = source.Prohibitions;
    }

    private static PromptChangeResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(PromptChangeOutcome.Invalid, string.Join(" ", errors.Values.SelectMany(e => e))) { Errors = errors };

    private static PromptChangeResult AgentNotFound(string key) => new(PromptChangeOutcome.NotFound, $"No agent with key '{key}'.");

    private static PromptChangeResult VersionNotFound(Guid id) => new(PromptChangeOutcome.NotFound, $"No prompt version with id {id}.");

    private static Task<Agent?> FindAgentAsync(AgentConsoleDbContext db, string key, CancellationToken ct)
    {
        var normalized = NormalizeKey(key);
        return db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Key == normalized, ct);
    }

    private static string NormalizeKey(string key) => key.Trim().ToLowerInvariant();
}
