using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// An agent's test sets and their cases: create, rename, make default, delete; add, edit, delete and import cases;
/// every change audited as configuration. An agent's first set becomes its default. The default set cannot be deleted
/// while the agent has other sets (make one of them the default first), so evaluations always find one; an agent's only
/// set may be deleted.
/// </summary>
public sealed class TestSets(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    AuditLog audit,
    DecisionCatalog decisions,
    ToolRegistry tools,
    IOptions<RunOptions> runOptions,
    IOptions<TestSetOptions> options,
    TimeProvider time)
{
    public const string SetName = "set.name";
    public const string SetDescription = "set.description";
    public const int SetNameMaxLength = 100;
    public const int DescriptionMaxLength = 2000;

    public int MaxCasesPerSet => options.Value.MaxCasesPerSet;

    /// <summary>The agent's sets, the default first; null when there is no such agent.</summary>
    public async Task<IReadOnlyList<TestSetSummary>?> ListAsync(string agentKey, CancellationToken ct = default)
    {
        var key = Key(agentKey);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Agents.AnyAsync(a => a.Key == key, ct))
        {
            return null;
        }

        var sets = await db.TestSets.AsNoTracking().Where(s => s.AgentKey == key)
            .Select(s => new TestSetSummary(s.Id, s.AgentKey, s.Name, s.Description, s.IsDefault, s.Cases.Count, s.UpdatedAt, s.UpdatedBy))
            .ToListAsync(ct);
        return [.. sets.OrderByDescending(s => s.IsDefault).ThenBy(s => s.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<TestSetSummary?> FindAsync(Guid setId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TestSets.AsNoTracking().Where(s => s.Id == setId)
            .Select(s => new TestSetSummary(s.Id, s.AgentKey, s.Name, s.Description, s.IsDefault, s.Cases.Count, s.UpdatedAt, s.UpdatedBy))
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>The set evaluations use when none is named, with its cases in order; null when the agent has none.</summary>
    public async Task<TestSet?> DefaultForAsync(string agentKey, CancellationToken ct = default)
    {
        var key = Key(agentKey);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TestSets.AsNoTracking().Include(s => s.Cases.OrderBy(c => c.Sequence))
            .Where(s => s.AgentKey == key && s.IsDefault)
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>A set with all its cases in order, for an evaluation or an export; null when there is no such set.</summary>
    public async Task<TestSet?> LoadAsync(Guid setId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TestSets.AsNoTracking().Include(s => s.Cases.OrderBy(c => c.Sequence)).SingleOrDefaultAsync(s => s.Id == setId, ct);
    }

    public async Task<TestSetChange> CreateAsync(string agentKey, string? name, string? description, string actor, CancellationToken ct = default)
    {
        var key = Key(agentKey);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Agents.AnyAsync(a => a.Key == key, ct))
        {
            return TestSetChange.NotFound($"No agent with key '{agentKey}'.");
        }

        var (cleanName, cleanDescription, errors) = await ValidateSetAsync(db, key, null, name, description, ct);
        if (errors.Count > 0)
        {
            return TestSetChange.Invalid(errors);
        }

        var now = time.GetUtcNow();
        var set = new TestSet
        {
            Id = Guid.CreateVersion7(now),
            AgentKey = key,
            Name = cleanName,
            Description = cleanDescription,
            IsDefault = !await db.TestSets.AnyAsync(s => s.AgentKey == key, ct),
            CreatedAt = now,
            CreatedBy = actor,
            UpdatedAt = now,
            UpdatedBy = actor,
        };
        db.TestSets.Add(set);
        Audit(db, "test-set.created", actor, $"Created test set '{set.Name}'{(set.IsDefault ? " (the agent's default)" : "")}", set,
            new { setId = set.Id, set.Name, set.Description, set.IsDefault });
        return await SaveSetAsync(db, set, key, $"Created test set '{set.Name}'.", ct);
    }

    public async Task<TestSetChange> RenameAsync(Guid setId, string? name, string? description, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var set = await db.TestSets.SingleOrDefaultAsync(s => s.Id == setId, ct);
        if (set is null)
        {
            return SetNotFound(setId);
        }

        var (cleanName, cleanDescription, errors) = await ValidateSetAsync(db, set.AgentKey, set.Id, name, description, ct);
        if (errors.Count > 0)
        {
            return TestSetChange.Invalid(errors);
        }

        var before = new { set.Name, set.Description };
        set.Name = cleanName;
        set.Description = cleanDescription;
        Touch(set, actor);
        Audit(db, "test-set.renamed", actor, before.Name == set.Name ? $"Edited test set '{set.Name}'" : $"Renamed test set '{before.Name}' to '{set.Name}'", set,
            new { setId = set.Id, before, after = new { set.Name, set.Description } });
        return await SaveSetAsync(db, set, set.AgentKey, $"Saved test set '{set.Name}'.", ct);
    }

    public async Task<TestSetChange> MakeDefaultAsync(Guid setId, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var set = await db.TestSets.SingleOrDefaultAsync(s => s.Id == setId, ct);
        if (set is null)
        {
            return SetNotFound(setId);
        }

        if (set.IsDefault)
        {
            return TestSetChange.Done($"'{set.Name}' is already the default test set.", set);
        }

        var previous = await db.TestSets.Where(s => s.AgentKey == set.AgentKey && s.IsDefault).ToListAsync(ct);
        foreach (var other in previous)
        {
            other.IsDefault = false;
        }

        set.IsDefault = true;
        Touch(set, actor);
        Audit(db, "test-set.default", actor, $"Made '{set.Name}' the default test set", set,
            new { setId = set.Id, set.Name, previous = previous.Select(p => new { setId = p.Id, p.Name }) });
        await db.SaveChangesAsync(ct);
        return TestSetChange.Done($"'{set.Name}' is now the default test set: evaluations use it when no set is named.", set);
    }

    public async Task<TestSetChange> DeleteAsync(Guid setId, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var set = await db.TestSets.SingleOrDefaultAsync(s => s.Id == setId, ct);
        if (set is null)
        {
            return SetNotFound(setId);
        }

        if (set.IsDefault && await db.TestSets.AnyAsync(s => s.AgentKey == set.AgentKey && s.Id != set.Id, ct))
        {
            return TestSetChange.Conflict($"'{set.Name}' is the agent's default test set; make another set the default before deleting it.");
        }

        var count = await db.TestCases.CountAsync(c => c.TestSetId == set.Id, ct);
        db.TestSets.Remove(set);
        Audit(db, "test-set.deleted", actor, $"Deleted test set '{set.Name}' and its {count} case{(count == 1 ? "" : "s")}", set,
            new { setId = set.Id, set.Name, cases = count });
        await db.SaveChangesAsync(ct);
        return TestSetChange.Done($"Deleted test set '{set.Name}'.", set);
    }

    /// <summary>A page of the set's cases in order, optionally of one kind; null when there is no such set.</summary>
    public async Task<TestCasePage?> ListCasesAsync(Guid setId, TestCaseKind? kind = null, int offset = 0, int? limit = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.TestSets.AnyAsync(s => s.Id == setId, ct))
        {
            return null;
        }

        var size = Math.Clamp(limit ?? options.Value.PageSize, 1, 500);
        offset = Math.Max(0, offset);
        var cases = db.TestCases.AsNoTracking().Where(c => c.TestSetId == setId);
        if (kind is { } k)
        {
            cases = cases.Where(c => c.Kind == k);
        }

        var total = await cases.CountAsync(ct);
        var items = await cases.OrderBy(c => c.Sequence).Skip(offset).Take(size).ToListAsync(ct);
        return new TestCasePage(items, total, offset, size);
    }

    public async Task<TestCase?> FindCaseAsync(Guid setId, Guid caseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TestCases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == caseId && c.TestSetId == setId, ct);
    }

    /// <summary>What cases of <paramref name="agentKey"/> may name: its decisions, its granted and built-in tools.</summary>
    public async Task<TestCaseRules> RulesForAsync(string agentKey, CancellationToken ct = default)
    {
        var key = Key(agentKey);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Key == key, ct);
        var callable = tools.Visible(agent?.Tools ?? []).Select(v => v.Tool.Key).ToHashSet(StringComparer.Ordinal);
        var decisionKeys = (await decisions.ListAsync(key, ct)).Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        return new TestCaseRules(decisionKeys, callable, runOptions.Value.MaxInputBytes);
    }

    public Task<TestSetChange> AddCaseAsync(Guid setId, TestCaseEdit edit, string actor, CancellationToken ct = default) => SaveCaseAsync(setId, null, edit, actor, ct);

    public Task<TestSetChange> UpdateCaseAsync(Guid setId, Guid caseId, TestCaseEdit edit, string actor, CancellationToken ct = default) => SaveCaseAsync(setId, caseId, edit, actor, ct);

    public async Task<TestSetChange> DeleteCaseAsync(Guid setId, Guid caseId, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var set = await db.TestSets.SingleOrDefaultAsync(s => s.Id == setId, ct);
        var testCase = set is null ? null : await db.TestCases.SingleOrDefaultAsync(c => c.Id == caseId && c.TestSetId == setId, ct);
        if (set is null || testCase is null)
        {
            return set is null ? SetNotFound(setId) : CaseNotFound(caseId);
        }

        db.TestCases.Remove(testCase);
        Touch(set, actor);
        Audit(db, "test-case.deleted", actor, $"Deleted case '{testCase.Name}' from test set '{set.Name}'", set, new { setId, caseId, before = Payload(testCase) });
        await db.SaveChangesAsync(ct);
        return TestSetChange.Done($"Deleted case '{testCase.Name}'.", set, testCase);
    }

    private async Task<TestSetChange> SaveCaseAsync(Guid setId, Guid? caseId, TestCaseEdit edit, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(edit);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var set = await db.TestSets.SingleOrDefaultAsync(s => s.Id == setId, ct);
        if (set is null)
        {
            return SetNotFound(setId);
        }

        TestCase? testCase = null;
        if (caseId is { } id && (testCase = await db.TestCases.SingleOrDefaultAsync(c => c.Id == id && c.TestSetId == setId, ct)) is null)
        {
            return CaseNotFound(id);
        }

        var errors = TestCaseValidation.Validate(edit, await RulesForAsync(set.AgentKey, ct), out var clean);
        if (!errors.ContainsKey(TestCaseValidation.Name) && await db.TestCases.AnyAsync(c => c.TestSetId == setId && c.Name == clean.Name && c.Id != (caseId ?? Guid.Empty), ct))
        {
            errors[TestCaseValidation.Name] = [$"The set already has a case called '{clean.Name}'; case names are unique within a set."];
        }

        if (testCase is null && await db.TestCases.CountAsync(c => c.TestSetId == setId, ct) >= options.Value.MaxCasesPerSet)
        {
            errors[TestCaseValidation.Name] = [$"The set is full: a set holds at most {options.Value.MaxCasesPerSet:N0} cases. Delete some or start another set."];
        }

        if (errors.Count > 0)
        {
            return TestSetChange.Invalid(errors);
        }

        var now = time.GetUtcNow();
        var created = testCase is null;
        var before = created ? null : Payload(testCase!);
        testCase ??= NewCase(set, now, actor, await NextSequenceAsync(db, setId, ct));
        Apply(testCase, clean, now);
        if (created)
        {
            db.TestCases.Add(testCase);
        }

        Touch(set, actor);
        Audit(db, created ? "test-case.added" : "test-case.updated", actor,
            $"{(created ? "Added" : "Edited")} case '{testCase.Name}' {(created ? "to" : "of")} test set '{set.Name}'", set,
            created ? new { setId, caseId = testCase.Id, after = Payload(testCase) } : new { setId, caseId = testCase.Id, before, after = Payload(testCase) });
        await db.SaveChangesAsync(ct);
        return TestSetChange.Done($"{(created ? "Added" : "Saved")} case '{testCase.Name}'.", set, testCase);
    }

    /// <summary>Parses a file and imports it; see <see cref="ImportAsync(Guid, IReadOnlyList{ValueTuple{int, TestCaseEdit}}, string, CancellationToken)"/>.</summary>
    public async Task<TestCaseImportResult> ImportAsync(Guid setId, string content, TestCaseFileFormat format, string actor, CancellationToken ct = default)
    {
        var (cases, errors) = TestCaseFile.Read(content, format);
        if (cases.Count == 0 && errors.Count == 0)
        {
            return TestCaseImportResult.Refused([new(1, format == TestCaseFileFormat.Csv ? "the file has a header but no cases." : "the file has no cases.")]);
        }

        return await ImportAsync(setId, cases, errors, actor, ct);
    }

    /// <summary>
    /// All or nothing: every case is checked first (a name already in the set updates that case, a name twice in the
    /// file is an error) and the set's size limit applies to the result; then all are saved in one transaction.
    /// </summary>
    public Task<TestCaseImportResult> ImportAsync(Guid setId, IReadOnlyList<(int Line, TestCaseEdit Edit)> cases, string actor, CancellationToken ct = default) =>
        ImportAsync(setId, cases, [], actor, ct);

    /// <summary>The lines the file reader could not read (<paramref name="unreadable"/>) are reported with the others, in line order.</summary>
    private async Task<TestCaseImportResult> ImportAsync(Guid setId, IReadOnlyList<(int Line, TestCaseEdit Edit)> cases, List<TestCaseLineError> unreadable, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cases);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var set = await db.TestSets.SingleOrDefaultAsync(s => s.Id == setId, ct);
        if (set is null)
        {
            return TestCaseImportResult.NotFound($"No test set {setId}.");
        }

        var rules = await RulesForAsync(set.AgentKey, ct);
        var existing = await db.TestCases.Where(c => c.TestSetId == setId).ToDictionaryAsync(c => c.Name, StringComparer.Ordinal, ct);
        var errors = new List<TestCaseLineError>(unreadable);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var valid = new List<TestCaseEdit>();
        foreach (var (line, edit) in cases)
        {
            var problems = TestCaseValidation.Validate(edit, rules, out var clean);
            if (problems.Count > 0)
            {
                errors.Add(new(line, string.Join(" ", problems.SelectMany(p => p.Value))));
                continue;
            }

            if (seen.TryGetValue(clean.Name!, out var first))
            {
                errors.Add(new(line, $"the case '{clean.Name}' is already on line {first}; case names are unique within a set."));
                continue;
            }

            seen[clean.Name!] = line;
            valid.Add(clean);
        }

        var added = valid.Count(c => !existing.ContainsKey(c.Name!));
        if (errors.Count == 0 && existing.Count + added > options.Value.MaxCasesPerSet)
        {
            errors.Add(new(cases.Count == 0 ? 1 : cases[^1].Line, $"the set would hold {existing.Count + added:N0} cases; a set holds at most {options.Value.MaxCasesPerSet:N0}."));
        }

        if (errors.Count > 0)
        {
            return TestCaseImportResult.Refused([.. errors.OrderBy(e => e.Line)]);
        }

        var now = time.GetUtcNow();
        var sequence = await NextSequenceAsync(db, setId, ct);
        foreach (var clean in valid)
        {
            if (existing.TryGetValue(clean.Name!, out var testCase))
            {
                Apply(testCase, clean, now);
            }
            else
            {
                testCase = NewCase(set, now, actor, sequence++);
                Apply(testCase, clean, now);
                db.TestCases.Add(testCase);
            }
        }

        var updated = valid.Count - added;
        Touch(set, actor);
        Audit(db, "test-set.imported", actor, $"Imported {valid.Count} case{(valid.Count == 1 ? "" : "s")} into test set '{set.Name}': added {added}, updated {updated}", set,
            new { setId, added, updated, names = valid.Select(v => v.Name) });
        await db.SaveChangesAsync(ct);
        return new TestCaseImportResult(TestSetChangeOutcome.Done, added, updated, [], $"Imported {valid.Count} case{(valid.Count == 1 ? "" : "s")}: added {added}, updated {updated}.");
    }

    /// <summary>The set's cases as a file; null when there is no such set.</summary>
    public async Task<(string Name, string Content)?> ExportAsync(Guid setId, TestCaseFileFormat format, CancellationToken ct = default)
    {
        var set = await LoadAsync(setId, ct);
        return set is null ? null : (set.Name, TestCaseFile.Write(set.Cases, format));
    }

    /// <summary>
    /// A case prefilled from a run: its raw input, kind Historical, the run's decision results as expected decisions
    /// (a reviewer's chosen output replaces the result that escalated: after review, that is the correct outcome),
    /// whether it escalated, and the tools it called successfully. Nothing is saved.
    /// </summary>
    public async Task<TestCaseDraft> DraftFromRunAsync(Guid runId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            return new TestCaseDraft(TestSetChangeOutcome.NotFound, $"No run {runId}.");
        }

        if (run.RawDataPurgedAt is { } purged)
        {
            return new TestCaseDraft(TestSetChangeOutcome.Conflict, string.Create(CultureInfo.InvariantCulture,
                $"The run's input was deleted by run-data retention on {purged:yyyy-MM-dd}; only its redacted timeline remains, so it cannot become a test case."),
                run.AgentKey);
        }

        var facts = run.FactsJson is null ? new JsonObject() : JsonNode.Parse(run.FactsJson) as JsonObject ?? new JsonObject();
        var escalations = await db.Escalations.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.CreatedAt).ToListAsync(ct);
        var notes = new List<string> { $"From run {run.Id} ({AgentRuns.Describe(run.Status)}, {run.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)." };
        foreach (var escalation in escalations.Where(e => e.ChosenValue is not null && e.Kind is EscalationKind.Route or EscalationKind.Decision))
        {
            if (EscalationChoices.Parse(escalation.ChoicesJson) is not { } choices)
            {
                continue;
            }

            facts[choices.Decision] = choices.Output is not null && facts[choices.Decision] is JsonObject result
                ? Replace(result, choices.Output, escalation.ChosenValue!)
                : (JsonNode)JsonValue.Create(escalation.ChosenValue!);
            notes.Add($"After review, {escalation.ResolvedBy} chose \"{escalation.ChosenValue}\" for {choices.DecisionName}.");
        }

        var called = await db.RunSteps.AsNoTracking()
            .Where(s => s.RunId == runId && s.Kind == RunStepKind.ToolCall && s.ToolName != null && !s.IsError && !s.InFlight)
            .OrderBy(s => s.Sequence).Select(s => s.ToolName!).ToListAsync(ct);
        var escalated = run.EscalationCount > 0 || escalations.Count > 0;
        var draft = new TestCaseEdit
        {
            Name = $"{Describe(run)} (run {run.Id.ToString()[..8]})",
            Kind = TestCaseKind.Historical,
            InputJson = run.InputJson,
            ExpectedDecisionsJson = facts.Count == 0 ? null : facts.ToJsonString(),
            // The escalation itself is what MustEscalate checks.
            MustCall = [.. called.Where(t => t != BuiltInTools.Escalate).Distinct(StringComparer.Ordinal)],
            MustEscalate = escalated,
            Notes = string.Join(" ", notes),
            SourceRunId = run.Id,
        };
        return new TestCaseDraft(TestSetChangeOutcome.Done, "Check every expectation before saving: the run's outcome is not necessarily the correct one.", run.AgentKey, draft);
    }

    private static JsonObject Replace(JsonObject result, string output, string value)
    {
        var copy = (JsonObject)result.DeepClone();
        copy[output] = value;
        return copy;
    }

    /// <summary>A readable name: the input's name or company when it has one, else the agent's name.</summary>
    private static string Describe(Run run)
    {
        var input = JsonNode.Parse(run.InputJson) as JsonObject;
        foreach (var field in new[] { "company", "name", "subject", "title" })
        {
            if (input?[field] is JsonValue v && v.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text))
            {
                var t = text.Trim();
                return t.Length > 60 ? t[..60] : t;
            }
        }

        return run.AgentName;
    }

    private static async Task<(string Name, string? Description, Dictionary<string, string[]> Errors)> ValidateSetAsync(
        AgentConsoleDbContext db, string agentKey, Guid? setId, string? name, string? description, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var cleanName = name?.Trim() ?? "";
        var cleanDescription = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        if (cleanName.Length == 0)
        {
            errors[SetName] = ["Give the test set a name."];
        }
        else if (cleanName.Length > SetNameMaxLength)
        {
            errors[SetName] = [$"The name is at most {SetNameMaxLength} characters."];
        }
        else if (await db.TestSets.AnyAsync(s => s.AgentKey == agentKey && s.Name == cleanName && s.Id != (setId ?? Guid.Empty), ct))
        {
            errors[SetName] = [$"The agent already has a test set called '{cleanName}'."];
        }

        if (cleanDescription?.Length > DescriptionMaxLength)
        {
            errors[SetDescription] = [$"The description is at most {DescriptionMaxLength:N0} characters."];
        }

        return (cleanName, cleanDescription, errors);
    }

    private static async Task<TestSetChange> SaveSetAsync(AgentConsoleDbContext db, TestSet set, string agentKey, string message, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two owners saved the same name at once: the unique index decided.
            if (!await NameTakenAsync(db, agentKey, set, ct))
            {
                throw;
            }

            return TestSetChange.Invalid(new Dictionary<string, string[]> { [SetName] = [$"The agent already has a test set called '{set.Name}'."] });
        }

        return TestSetChange.Done(message, set);
    }

    private static async Task<bool> NameTakenAsync(AgentConsoleDbContext db, string agentKey, TestSet set, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        return await db.TestSets.AnyAsync(s => s.AgentKey == agentKey && s.Name == set.Name && s.Id != set.Id, ct);
    }

    private static async Task<int> NextSequenceAsync(AgentConsoleDbContext db, Guid setId, CancellationToken ct) =>
        (await db.TestCases.Where(c => c.TestSetId == setId).MaxAsync(c => (int?)c.Sequence, ct) ?? 0) + 1;

    private static TestCase NewCase(TestSet set, DateTimeOffset now, string actor, int sequence) =>
        new() { Id = Guid.CreateVersion7(now), TestSetId = set.Id, CreatedAt = now, CreatedBy = actor, Sequence = sequence };

    private static void Apply(TestCase testCase, TestCaseEdit clean, DateTimeOffset now)
    {
        testCase.Name = clean.Name!;
        testCase.Kind = clean.Kind;
        testCase.InputJson = clean.InputJson!;
        testCase.ExpectedDecisionsJson = clean.ExpectedDecisionsJson;
        testCase.MustCall = [.. clean.MustCall];
        testCase.MustNotCall = [.. clean.MustNotCall];
        testCase.MustEscalate = clean.MustEscalate;
        testCase.ExpectRejected = clean.ExpectRejected;
        testCase.OutputContains = [.. clean.OutputContains];
        testCase.Notes = clean.Notes;
        testCase.SourceRunId = clean.SourceRunId ?? testCase.SourceRunId;
        testCase.UpdatedAt = now;
    }

    private void Touch(TestSet set, string actor)
    {
        set.UpdatedAt = time.GetUtcNow();
        set.UpdatedBy = actor;
    }

    private void Audit(AgentConsoleDbContext db, string action, string actor, string summary, TestSet set, object payload) =>
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, action, AuditActor.Parse(actor), summary, payload, set.AgentKey));

    private static object Payload(TestCase c) => new
    {
        c.Name,
        kind = c.Kind.ToString(),
        input = c.InputJson,
        expectedDecisions = c.ExpectedDecisionsJson,
        c.MustCall,
        c.MustNotCall,
        c.MustEscalate,
        c.ExpectRejected,
        c.OutputContains,
        c.Notes,
        c.SourceRunId,
    };

    private static string Key(string agentKey) => agentKey.Trim().ToLowerInvariant();

    private static TestSetChange SetNotFound(Guid id) => TestSetChange.NotFound($"No test set {id}.");

    private static TestSetChange CaseNotFound(Guid id) => TestSetChange.NotFound($"No test case {id} in this set.");
}
