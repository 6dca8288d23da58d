using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.DecisionTables;

public sealed record DecisionSummary(
    string Key,
    string Name,
    string Kind,
    HitPolicy? HitPolicy,
    int Rules,
    string? AgentKey,
    int? PublishedVersion,
    int? DraftVersion,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    string? Shape = null);

/// <summary>Which version of a decision bound to an agent is published: what a run needs to find its compiled table.</summary>
public sealed record PublishedDecision(string Key, string Name, Guid VersionId, int Number, int Revision);

/// <summary>A decision loaded at one version, with its model parsed.</summary>
public sealed record LoadedDecision(StoredDecision Decision, DecisionVersion Version, DmnModel Model)
{
    /// <summary>The model's main decision: what callers and agents evaluate when they name none.</summary>
    public DmnDecision Definition => Model.Main();
}

public enum DecisionChangeOutcome
{
    Done,
    NotFound,
    Conflict,
    Invalid,
}

public sealed record DecisionChangeResult(DecisionChangeOutcome Outcome, string? Message = null, LoadedDecision? Decision = null)
{
    /// <summary>The cells that made the change <see cref="DecisionChangeOutcome.Invalid"/>, with their positions.</summary>
    public IReadOnlyList<DecisionDiagnostic> Errors { get; init; } = [];

    public bool Succeeded => Outcome == DecisionChangeOutcome.Done;

    /// <summary>When publishing was refused by the publish gate: its verdict (the evaluation it judged, or none).</summary>
    public Evaluations.PublishGateResult? Gate { get; init; }

    internal static DecisionChangeResult NotFound(string key) => new(DecisionChangeOutcome.NotFound, $"No decision with key '{key}'.");
}

/// <summary>
/// Stores decisions and their versions: draft → published (immutable) → retired, rollback by publishing an
/// old version again, and every change audited with its author and a cell-level diff.
/// </summary>
public sealed class DecisionCatalog(IDbContextFactory<AgentConsoleDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    public const string Draft = "draft";
    public const string Published = "published";

    private static readonly PerModelQuery<Func<AgentConsoleDbContext, string, IAsyncEnumerable<PublishedDecision>>> PublishedForQuery = new(() =>
        EF.CompileAsyncQuery((AgentConsoleDbContext db, string agentKey) => db.Set<StoredDecision>().AsNoTracking()
            .Where(d => d.AgentKey == agentKey)
            .SelectMany(d => d.Versions.Where(v => v.Status == DecisionVersionStatus.Published),
                (d, v) => new PublishedDecision(d.Key, d.Name, v.Id, v.Number, v.Revision))));

    private static IAsyncEnumerable<PublishedDecision> PublishedFor(AgentConsoleDbContext db, string agentKey) => PublishedForQuery.For(db)(db, agentKey);

    /// <summary>
    /// The published decisions bound to <paramref name="agentKey"/>, in the order <see cref="ListAsync"/> lists them.
    /// Every run asks, so this reads only keys and version ids, not the models: those are parsed once per version by
    /// <see cref="DecisionWorkbench.EvaluatePublishedAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<PublishedDecision>> ListPublishedAsync(string agentKey, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var published = new List<PublishedDecision>();
        await foreach (var decision in PublishedFor(db, agentKey).WithCancellation(ct))
        {
            published.Add(decision);
        }

        return [.. published.OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<IReadOnlyList<DecisionSummary>> ListAsync(string? agentKey = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Set<StoredDecision>().AsNoTracking().Include(d => d.Versions.Where(v => v.Status != DecisionVersionStatus.Retired));
        var decisions = agentKey is null ? await query.ToListAsync(ct) : await query.Where(d => d.AgentKey == agentKey).ToListAsync(ct);
        return [.. decisions.OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase).Select(Summarize)];
    }

    private static DecisionSummary Summarize(StoredDecision d)
    {
        var current = d.Versions.FirstOrDefault(v => v.Status == DecisionVersionStatus.Draft)
            ?? d.Versions.FirstOrDefault(v => v.Status == DecisionVersionStatus.Published);
        var model = current is null ? null : DecisionJson.Deserialize(current.ModelJson);
        var definition = model?.Main();
        var table = definition as DecisionTableDefinition;
        return new DecisionSummary(
            d.Key,
            d.Name,
            definition is LiteralExpressionDecision ? "Literal expression" : "Decision table",
            table?.HitPolicy,
            table?.Rules.Count ?? 0,
            d.AgentKey,
            d.Versions.FirstOrDefault(v => v.Status == DecisionVersionStatus.Published)?.Number,
            d.Versions.FirstOrDefault(v => v.Status == DecisionVersionStatus.Draft)?.Number,
            d.UpdatedAt,
            d.UpdatedBy,
            model is not null && model.HasGraph() ? model.Describe() : null);
    }

    /// <summary>
    /// Loads <paramref name="key"/> at <paramref name="version"/>: "draft", "published", a number, or null for the
    /// version people are working on (the draft if there is one, else the published one).
    /// </summary>
    public async Task<LoadedDecision?> LoadAsync(string key, string? version = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var decision = await db.Set<StoredDecision>().AsNoTracking().Include(d => d.Versions)
            .SingleOrDefaultAsync(d => d.Key == NormalizeKey(key), ct);
        if (decision is null)
        {
            return null;
        }

        var chosen = Select(decision, version);
        return chosen is null ? null : new LoadedDecision(decision, chosen, DecisionJson.Deserialize(chosen.ModelJson));
    }

    public static bool IsValidVersionSelector(string? version) =>
        version is null or Draft or Published || (int.TryParse(version, out var n) && n > 0);

    private static DecisionVersion? Select(StoredDecision decision, string? version) => version switch
    {
        null => decision.Versions.FirstOrDefault(v => v.Status == DecisionVersionStatus.Draft)
            ?? decision.Versions.FirstOrDefault(v => v.Status == DecisionVersionStatus.Published)
            ?? decision.Versions.OrderByDescending(v => v.Number).FirstOrDefault(),
        Draft => decision.Versions.FirstOrDefault(v => v.Status == DecisionVersionStatus.Draft),
        Published => decision.Versions.FirstOrDefault(v => v.Status == DecisionVersionStatus.Published),
        _ => int.TryParse(version, out var number) ? decision.Versions.FirstOrDefault(v => v.Number == number) : null,
    };

    /// <summary>
    /// Stores a new decision (a whole model; named after its main decision) as draft version 1; returns its unique key.
    /// Callers check <see cref="DmnModelChecks.Refusals"/> first.
    /// </summary>
    public async Task<LoadedDecision> CreateAsync(DmnModel model, string actor, string? agentKey = null, CancellationToken ct = default)
    {
        model = ImplicitInputData.Declare(model);
        var definition = model.Main();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await UniqueKeyAsync(db, definition.Name, ct);
        var now = time.GetUtcNow();
        var version = new DecisionVersion
        {
            Id = Guid.NewGuid(),
            Number = 1,
            Status = DecisionVersionStatus.Draft,
            ModelJson = DecisionJson.Serialize(model),
            Revision = 1,
            CreatedAt = now,
            CreatedBy = actor,
            UpdatedAt = now,
            UpdatedBy = actor,
        };
        var decision = new StoredDecision
        {
            Id = Guid.NewGuid(),
            Key = key,
            Name = definition.Name,
            AgentKey = agentKey,
            CreatedAt = now,
            CreatedBy = actor,
            UpdatedAt = now,
            UpdatedBy = actor,
            Versions = [version],
        };
        db.Add(decision);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "decision.created", AuditActor.Parse(actor),
            $"Decision '{decision.Name}' ({key}) created as draft v1", new { key, name = decision.Name, agentKey, model }, agentKey));
        await db.SaveChangesAsync(ct);
        return new LoadedDecision(decision, version, model);
    }

    /// <summary>
    /// Saves the draft. With no draft, a new one is started from the published version. Pass the draft revision
    /// you edited to detect concurrent edits.
    /// </summary>
    public async Task<DecisionChangeResult> SaveDraftAsync(string key, DmnModel model, int? expectedRevision, string actor, string? note = null, CancellationToken ct = default)
    {
        if (model.Decisions.Count == 0)
        {
            return new(DecisionChangeOutcome.Invalid, "A stored decision holds at least one decision.");
        }

        if (DmnModelChecks.Refusals(model) is { Count: > 0 } refused)
        {
            return new(DecisionChangeOutcome.Invalid, string.Join(" ", refused)) { Errors = refused };
        }

        model = ImplicitInputData.Declare(model);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var decision = await FindAsync(db, key, ct);
        if (decision is null)
        {
            return DecisionChangeResult.NotFound(key);
        }

        var now = time.GetUtcNow();
        var draft = decision.Versions.FirstOrDefault(v => v.Status == DecisionVersionStatus.Draft);
        var baseline = draft ?? decision.Versions.FirstOrDefault(v => v.Status == DecisionVersionStatus.Published);
        if (draft is not null && expectedRevision is { } expected && expected != draft.Revision)
        {
            return new(DecisionChangeOutcome.Conflict,
                $"The draft of '{decision.Name}' was saved by {draft.UpdatedBy} after you opened it. Reload to see their changes; your edits stay in the editor.");
        }

        var previous = baseline is null ? null : DecisionJson.Deserialize(baseline.ModelJson);
        if (draft is null)
        {
            draft = new DecisionVersion
            {
                Id = Guid.NewGuid(),
                DecisionId = decision.Id,
                Number = decision.Versions.Max(v => v.Number) + 1,
                Status = DecisionVersionStatus.Draft,
                CreatedAt = now,
                CreatedBy = actor,
            };
            decision.Versions.Add(draft);
            db.Add(draft);
        }

        draft.ModelJson = DecisionJson.Serialize(model);
        draft.Revision++;
        draft.UpdatedAt = now;
        draft.UpdatedBy = actor;
        draft.Note = note ?? draft.Note;
        decision.Name = model.Main().Name;
        decision.UpdatedAt = now;
        decision.UpdatedBy = actor;
        var changes = previous is null ? [] : DecisionDiff.Compare(previous, model);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "decision.draft-saved", AuditActor.Parse(actor),
            $"Draft v{draft.Number} of '{decision.Name}' saved: {changes.Count} change(s)",
            new { key = decision.Key, version = draft.Number, changes }, decision.AgentKey));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new(DecisionChangeOutcome.Conflict, $"The draft of '{decision.Name}' was saved by someone else at the same moment. Reload and try again.");
        }

        return new(DecisionChangeOutcome.Done, null, new LoadedDecision(decision, draft, model));
    }

    /// <summary>Publishes the draft; the version published before it is retired. Callers check the test set first.</summary>
    public Task<DecisionChangeResult> PublishDraftAsync(string key, string actor, CancellationToken ct = default) =>
        PublishDraftAsync(key, actor, null, ct);

    /// <summary>
    /// As <see cref="PublishDraftAsync(string, string, CancellationToken)"/>; <paramref name="gateOverride"/> is the Admin's
    /// written reason for publishing without a passing evaluation, recorded in the audit entry.
    /// </summary>
    public async Task<DecisionChangeResult> PublishDraftAsync(string key, string actor, string? gateOverride, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var decision = await FindAsync(db, key, ct);
        if (decision is null)
        {
            return DecisionChangeResult.NotFound(key);
        }

        var draft = decision.Versions.FirstOrDefault(v => v.Status == DecisionVersionStatus.Draft);
        if (draft is null)
        {
            return new(DecisionChangeOutcome.Invalid, $"'{decision.Name}' has no draft to publish.");
        }

        return await MakePublishedAsync(db, decision, draft, actor, "decision.published",
            $"v{draft.Number} of '{decision.Name}' published{(gateOverride is null ? "" : " (publish gate overridden)")}", gateOverride, ct);
    }

    /// <summary>Rollback: publishes an earlier version again; the current published version is retired.</summary>
    public async Task<DecisionChangeResult> RollbackAsync(string key, int number, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var decision = await FindAsync(db, key, ct);
        if (decision is null)
        {
            return DecisionChangeResult.NotFound(key);
        }

        var target = decision.Versions.FirstOrDefault(v => v.Number == number);
        if (target is null)
        {
            return new(DecisionChangeOutcome.NotFound, $"'{decision.Name}' has no version {number}.");
        }

        if (target.Status != DecisionVersionStatus.Retired)
        {
            return new(DecisionChangeOutcome.Invalid, target.Status == DecisionVersionStatus.Published
                ? $"v{number} is already the published version."
                : $"v{number} is the draft; publish it instead of rolling back to it.");
        }

        return await MakePublishedAsync(db, decision, target, actor, "decision.rolled-back", $"'{decision.Name}' rolled back to v{number}", null, ct);
    }

    private async Task<DecisionChangeResult> MakePublishedAsync(
        AgentConsoleDbContext db, StoredDecision decision, DecisionVersion version, string actor, string action, string summary, string? gateOverride, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var current = decision.Versions.FirstOrDefault(v => v.Status == DecisionVersionStatus.Published);
        var changes = current is null
            ? []
            : DecisionDiff.Compare(DecisionJson.Deserialize(current.ModelJson), DecisionJson.Deserialize(version.ModelJson));
        if (current is not null)
        {
            current.Status = DecisionVersionStatus.Retired;
            current.RetiredAt = now;
        }

        version.Status = DecisionVersionStatus.Published;
        version.PublishedAt = now;
        version.PublishedBy = actor;
        version.RetiredAt = null;
        decision.UpdatedAt = now;
        decision.UpdatedBy = actor;
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, action, AuditActor.Parse(actor), summary,
            new { key = decision.Key, version = version.Number, replaced = current?.Number, changes, gateOverrideReason = gateOverride }, decision.AgentKey));
        await db.SaveChangesAsync(ct);
        return new(DecisionChangeOutcome.Done, null, new LoadedDecision(decision, version, DecisionJson.Deserialize(version.ModelJson)));
    }

    public async Task<IReadOnlyList<DecisionChange>?> DiffAsync(string key, int from, int to, CancellationToken ct = default)
    {
        var a = await LoadAsync(key, from.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        var b = await LoadAsync(key, to.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        return a is null || b is null ? null : DecisionDiff.Compare(a.Model, b.Model);
    }

    public async Task<IReadOnlyList<DecisionTestCase>> ListTestCasesAsync(string key, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var decision = await db.Set<StoredDecision>().AsNoTracking().Include(d => d.TestCases)
            .SingleOrDefaultAsync(d => d.Key == NormalizeKey(key), ct);
        return decision is null ? [] : [.. decision.TestCases.OrderBy(t => t.CreatedAt).ThenBy(t => t.Name, StringComparer.Ordinal)];
    }

    public async Task<DecisionTestCase?> AddTestCaseAsync(string key, string name, string inputsJson, string expectedJson, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var decision = await db.Set<StoredDecision>().SingleOrDefaultAsync(d => d.Key == NormalizeKey(key), ct);
        if (decision is null)
        {
            return null;
        }

        var test = new DecisionTestCase
        {
            Id = Guid.NewGuid(),
            DecisionId = decision.Id,
            Name = name.Trim(),
            InputsJson = inputsJson,
            ExpectedJson = expectedJson,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = actor,
        };
        db.Add(test);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "decision.test-added", AuditActor.Parse(actor),
            $"Test case '{test.Name}' added to '{decision.Name}'", new { key = decision.Key, test.Name, inputs = inputsJson, expected = expectedJson }, decision.AgentKey));
        await db.SaveChangesAsync(ct);
        return test;
    }

    public async Task<bool> DeleteTestCaseAsync(string key, Guid id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var decision = await db.Set<StoredDecision>().Include(d => d.TestCases).SingleOrDefaultAsync(d => d.Key == NormalizeKey(key), ct);
        var test = decision?.TestCases.FirstOrDefault(t => t.Id == id);
        if (decision is null || test is null)
        {
            return false;
        }

        db.Remove(test);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "decision.test-removed", AuditActor.Parse(actor),
            $"Test case '{test.Name}' removed from '{decision.Name}'", new { key = decision.Key, test.Name }, decision.AgentKey));
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static string NormalizeKey(string key) => key.Trim().ToLowerInvariant();

    private static Task<StoredDecision?> FindAsync(AgentConsoleDbContext db, string key, CancellationToken ct) =>
        db.Set<StoredDecision>().Include(d => d.Versions).SingleOrDefaultAsync(d => d.Key == NormalizeKey(key), ct);

    private static async Task<string> UniqueKeyAsync(AgentConsoleDbContext db, string name, CancellationToken ct)
    {
        var stem = Slug.From(name, 56);
        if (stem.Length < 2)
        {
            stem = "decision";
        }

        var existing = await db.Set<StoredDecision>().Where(d => d.Key == stem || d.Key.StartsWith(stem + "-")).Select(d => d.Key).ToListAsync(ct);
        if (!existing.Contains(stem))
        {
            return stem;
        }

        for (var n = 2; ; n++)
        {
            var candidate = $"{stem}-{n}";
            if (!existing.Contains(candidate))
            {
                return candidate;
            }
        }
    }
}
