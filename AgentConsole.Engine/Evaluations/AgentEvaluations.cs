using System.Text.Json;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Jobs;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Prompts;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// Starts and reads evaluations: a test set run case by case against one configuration (prompt version + decision
/// versions + the agent's model) on the evaluations queue, scored, and compared with the published configuration.
/// </summary>
public sealed class AgentEvaluations(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    DecisionCatalog decisions,
    ModelProviders models,
    AuditLog audit,
    IBackgroundJobClient jobs,
    EvaluationFeed feed,
    TimeProvider time)
{
    public const int MaxPageSize = 100;

    public async Task<EvaluationStartResult> StartAsync(string agentKey, EvaluationRequest request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (found, refusal) = await EvaluatedAgent.FindAsync(db, models, agentKey, "No case could run.", ct);
        if (found is null)
        {
            return refusal!;
        }

        var (key, provider) = (found.Agent.Key, found.Provider);

        var (target, unresolved) = await EvaluationTarget.ResolveAsync(db, decisions, key, request.PromptVersionId, request.PromptVersionNumber, request.Decisions, ct);
        if (target is null)
        {
            return unresolved!;
        }

        var set = request.TestSetId is { } setId
            ? await db.TestSets.AsNoTracking().SingleOrDefaultAsync(s => s.Id == setId, ct)
            : await db.TestSets.AsNoTracking().Where(s => s.AgentKey == key && s.IsDefault).FirstOrDefaultAsync(ct);
        if (set is null)
        {
            return request.TestSetId is null
                ? EvaluationStartResult.Invalid($"Agent '{key}' has no default test set; create one on the Tests page or name a test set.")
                : EvaluationStartResult.NotFound($"No test set {request.TestSetId}.");
        }

        if (set.AgentKey != key)
        {
            return EvaluationStartResult.Invalid($"Test set '{set.Name}' belongs to agent '{set.AgentKey}', not '{key}'.");
        }

        var prompt = target.PromptVersionId is { } promptId ? (promptId, target.PromptVersionNumber!.Value) : ((Guid, int)?)null;
        return await CreateAsync(db, key, set, prompt, target.DecisionVersionsJson, provider, actor, ct);
    }

    private async Task<EvaluationStartResult> CreateAsync(AgentConsoleDbContext db, string agentKey, TestSet set, (Guid Id, int Number)? prompt, string decisionsJson,
        ModelProvider provider, string actor, CancellationToken ct)
    {
        var cases = await db.TestCases.AsNoTracking().Where(c => c.TestSetId == set.Id).OrderBy(c => c.Sequence).ThenBy(c => c.Name)
            .Select(c => new { c.Id, c.Name }).ToListAsync(ct);
        if (cases.Count == 0)
        {
            return EvaluationStartResult.Invalid($"Test set '{set.Name}' has no cases; add cases before evaluating.");
        }

        var published = await PublishedConfigurationAsync(db, agentKey, ct);
        Evaluation? baseline = null;
        var isPublished = published.PromptId == prompt?.Id && published.DecisionsJson == decisionsJson;
        if (!isPublished)
        {
            baseline = await LatestOfAsync(db, agentKey, set.Id, published.PromptId, published.DecisionsJson, includeUnfinished: true, ct);
        }

        var now = time.GetUtcNow();
        var evaluation = NewEvaluation(agentKey, set.Id, prompt, decisionsJson, provider, actor, now, cases.Count);
        db.Evaluations.Add(evaluation);
        db.EvaluationCases.AddRange(cases.Select((c, i) => NewCase(evaluation.Id, i + 1, c.Name, c.Id)));
        var started = new List<Evaluation> { evaluation };
        if (!isPublished && baseline is null)
        {
            // Regressions need the published configuration's verdicts on the same cases; start that evaluation alongside.
            baseline = NewEvaluation(agentKey, set.Id, published.PromptId is { } id ? (id, published.PromptNumber!.Value) : null, published.DecisionsJson,
                provider, actor, now, cases.Count);
            db.Evaluations.Add(baseline);
            db.EvaluationCases.AddRange(cases.Select((c, i) => NewCase(baseline.Id, i + 1, c.Name, c.Id)));
            started.Add(baseline);
        }

        evaluation.BaselineEvaluationId = baseline?.Id;
        foreach (var e in started)
        {
            var what = Describe(e);
            audit.Record(db, new AuditEntry(AuditCategory.Configuration, "evaluation.started", AuditActor.Parse(actor),
                $"Evaluation of {agentKey} ({what}) on test set '{set.Name}' started: {e.Total} case(s)",
                new { evaluationId = e.Id, testSetId = set.Id, promptVersion = e.PromptVersionNumber, decisions = JsonDocument.Parse(e.DecisionVersionsJson).RootElement,
                    provider = e.Provider, model = e.ModelId, baselineOf = e == baseline ? evaluation.Id : (Guid?)null }, agentKey));
        }

        await db.SaveChangesAsync(ct);
        foreach (var e in started)
        {
            var ids = await db.EvaluationCases.AsNoTracking().Where(c => c.EvaluationId == e.Id).OrderBy(c => c.Sequence).Select(c => c.Id).ToListAsync(ct);
            foreach (var caseId in ids)
            {
                jobs.Enqueue<EvaluationCaseJob>(JobQueues.Evaluations, job => job.RunCase(caseId, CancellationToken.None));
            }

            feed.Publish(new EvaluationProgressed(e.Id, agentKey, e.Status, 0, e.Total));
        }

        return new(EvaluationStartOutcome.Started, evaluation.Id, null, evaluation.BaselineEvaluationId);
    }

    private static Evaluation NewEvaluation(string agentKey, Guid setId, (Guid Id, int Number)? prompt, string decisionsJson, ModelProvider provider, string actor,
        DateTimeOffset now, int total) => new()
    {
        Id = Guid.CreateVersion7(now),
        AgentKey = agentKey,
        Kind = EvaluationKind.TestSet,
        Status = EvaluationStatus.Queued,
        TestSetId = setId,
        PromptVersionId = prompt?.Id,
        PromptVersionNumber = prompt?.Number,
        DecisionVersionsJson = decisionsJson,
        Provider = provider.Name,
        ModelId = provider.Model,
        Total = total,
        CreatedAt = now,
        CreatedBy = actor,
    };

    private static EvaluationCase NewCase(Guid evaluationId, int sequence, string name, Guid testCaseId) => new()
    {
        Id = Guid.NewGuid(),
        EvaluationId = evaluationId,
        Sequence = sequence,
        Name = name,
        TestCaseId = testCaseId,
        Verdict = CaseVerdict.Pending,
    };

    /// <summary>"prompt v3, lead-routing v2" (or "built-in prompt").</summary>
    public static string Describe(Evaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var prompt = evaluation.PromptVersionNumber is { } n ? $"prompt v{n}" : "built-in prompt";
        var map = DecisionVersionMap.Read(evaluation.DecisionVersionsJson);
        return map.Count == 0 ? prompt : $"{prompt}, {DecisionVersionMap.Describe(evaluation.DecisionVersionsJson)}";
    }

    /// <summary>What production runs use now: the published prompt version (null: the built-in prompt) and published decisions.</summary>
    public async Task<(Guid? PromptId, int? PromptNumber, string DecisionsJson)> PublishedConfigurationAsync(string agentKey, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await PublishedConfigurationAsync(db, agentKey, ct);
    }

    private async Task<(Guid? PromptId, int? PromptNumber, string DecisionsJson)> PublishedConfigurationAsync(AgentConsoleDbContext db, string agentKey, CancellationToken ct)
    {
        var prompt = await SystemPrompts.PublishedAsync(db, agentKey, ct);
        var published = await decisions.ListPublishedAsync(agentKey, ct);
        return (prompt?.Id, prompt?.Number, DecisionVersionMap.Write(published.Select(d => KeyValuePair.Create(d.Key, d.Number))));
    }

    private static async Task<Evaluation?> LatestOfAsync(AgentConsoleDbContext db, string agentKey, Guid testSetId, Guid? promptId, string decisionsJson, bool includeUnfinished,
        CancellationToken ct)
    {
        var candidates = await db.Evaluations.AsNoTracking()
            .Where(e => e.AgentKey == agentKey && e.Kind == EvaluationKind.TestSet && e.TestSetId == testSetId && e.PromptVersionId == promptId
                && (e.Status == EvaluationStatus.Completed || (includeUnfinished && (e.Status == EvaluationStatus.Queued || e.Status == EvaluationStatus.Running))))
            .OrderByDescending(e => e.CreatedAt)
            .Take(50)
            .ToListAsync(ct);
        // The decision map is a small JSON text written in one canonical form (sorted keys), so equal maps are equal strings.
        var same = candidates.Where(e => DecisionVersionMap.Write(DecisionVersionMap.Read(e.DecisionVersionsJson)) == decisionsJson).ToList();
        return same.FirstOrDefault(e => e.Status == EvaluationStatus.Completed) ?? same.FirstOrDefault();
    }

    public async Task<Evaluation?> FindAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Evaluations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
    }

    public async Task<EvaluationDetail?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var evaluation = await db.Evaluations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (evaluation is null)
        {
            return null;
        }

        var setName = evaluation.TestSetId is { } setId ? await db.TestSets.AsNoTracking().Where(s => s.Id == setId).Select(s => s.Name).FirstOrDefaultAsync(ct) : null;
        var cases = await CasesAsync(db, id, ct);
        var threshold = await db.Agents.AsNoTracking().Where(a => a.Key == evaluation.AgentKey).Select(a => (double?)a.PublishThreshold).FirstOrDefaultAsync(ct)
            ?? Agents.Agent.DefaultPublishThreshold;
        return new EvaluationDetail(evaluation, setName, cases, await CompareAsync(db, evaluation, cases, ct), threshold);
    }

    private static async Task<List<EvaluationCaseView>> CasesAsync(AgentConsoleDbContext db, Guid evaluationId, CancellationToken ct)
    {
        var rows = await db.EvaluationCases.AsNoTracking().Where(c => c.EvaluationId == evaluationId).OrderBy(c => c.Sequence).ToListAsync(ct);
        var testCaseIds = rows.Where(r => r.TestCaseId is not null).Select(r => r.TestCaseId!.Value).ToList();
        var kinds = await db.TestCases.AsNoTracking().Where(t => testCaseIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Kind, ct);
        return [.. rows.Select(r => new EvaluationCaseView(r.Id, r.Sequence, r.Name, r.TestCaseId,
            r.TestCaseId is { } t && kinds.TryGetValue(t, out var kind) ? kind : null, r.SourceRunId, r.RunId, r.Verdict, ReadReasons(r.ReasonsJson), r.DiffJson,
            r.Escalated, r.CostUsd, r.CompletedAt))];
    }

    public static IReadOnlyList<string> ReadReasons(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<string>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [json];
        }
    }

    /// <summary>Regressions and fixes of <paramref name="evaluationId"/> against the published configuration's latest evaluation on the same set.</summary>
    public async Task<EvaluationComparison?> CompareAsync(Guid evaluationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var evaluation = await db.Evaluations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == evaluationId, ct);
        return evaluation is null ? null : await CompareAsync(db, evaluation, await CasesAsync(db, evaluationId, ct), ct);
    }

    private async Task<EvaluationComparison> CompareAsync(AgentConsoleDbContext db, Evaluation evaluation, IReadOnlyList<EvaluationCaseView> cases, CancellationToken ct)
    {
        if (evaluation.Kind != EvaluationKind.TestSet || evaluation.TestSetId is not { } setId)
        {
            return new(null, null, null, false, [], [], "A replay is compared run by run with the historical runs, not with a baseline evaluation.");
        }

        var published = await PublishedConfigurationAsync(db, evaluation.AgentKey, ct);
        var isPublished = published.PromptId == evaluation.PromptVersionId
            && published.DecisionsJson == DecisionVersionMap.Write(DecisionVersionMap.Read(evaluation.DecisionVersionsJson));
        var latest = await LatestOfAsync(db, evaluation.AgentKey, setId, published.PromptId, published.DecisionsJson, includeUnfinished: false, ct);
        var baseline = latest is not null && latest.Id != evaluation.Id ? latest
            : evaluation.BaselineEvaluationId is { } linked ? await db.Evaluations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == linked, ct)
            : null;
        if (isPublished && (baseline is null || baseline.Id == evaluation.Id || latest?.Id == evaluation.Id))
        {
            return new(null, null, null, true, [], [], "This is the agent's published configuration; there is nothing to compare it with.");
        }

        if (baseline is null)
        {
            return new(null, null, null, false, [], [], "No evaluation of the published configuration on this test set is on record yet.");
        }

        if (baseline.Status != EvaluationStatus.Completed)
        {
            return new(baseline.Id, baseline.Status, null, false, [], [],
                $"The published configuration's evaluation is still running ({baseline.Completed} of {baseline.Total}).");
        }

        var before = (await CasesAsync(db, baseline.Id, ct)).Where(c => c.TestCaseId is not null).GroupBy(c => c.TestCaseId!.Value).ToDictionary(g => g.Key, g => g.First());
        var regressions = new List<CaseChange>();
        var fixes = new List<CaseChange>();
        foreach (var now in cases.Where(c => c.TestCaseId is not null && c.Verdict != CaseVerdict.Pending))
        {
            if (!before.TryGetValue(now.TestCaseId!.Value, out var then) || then.Verdict == CaseVerdict.Pending)
            {
                continue;
            }

            var passedThen = then.Verdict == CaseVerdict.Passed;
            var passedNow = now.Verdict == CaseVerdict.Passed;
            if (passedThen && !passedNow)
            {
                regressions.Add(new CaseChange(now.TestCaseId.Value, now.Name, now.Reasons));
            }
            else if (!passedThen && passedNow)
            {
                fixes.Add(new CaseChange(now.TestCaseId.Value, now.Name, then.Reasons));
            }
        }

        return new(baseline.Id, baseline.Status, baseline.PassRate, isPublished, regressions, fixes,
            $"Compared with evaluation {baseline.Id} of the published configuration ({Describe(baseline)}): {regressions.Count} regression(s), {fixes.Count} fix(es).");
    }

    public async Task<EvaluationPage> ListAsync(string agentKey, int offset = 0, int limit = 20, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = agentKey.Trim().ToLowerInvariant();
        limit = Math.Clamp(limit, 1, MaxPageSize);
        offset = Math.Max(0, offset);
        var items = await db.Evaluations.AsNoTracking().Where(e => e.AgentKey == key)
            .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Skip(offset).Take(limit + 1).ToListAsync(ct);
        var more = items.Count > limit;
        if (more)
        {
            items.RemoveAt(limit);
        }

        return new EvaluationPage(items, more ? offset + limit : null);
    }

    /// <summary>The agent's test sets, default first, for pickers.</summary>
    public async Task<IReadOnlyList<TestSet>> TestSetsAsync(string agentKey, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = agentKey.Trim().ToLowerInvariant();
        return await db.TestSets.AsNoTracking().Where(s => s.AgentKey == key).OrderByDescending(s => s.IsDefault).ThenBy(s => s.Name).ToListAsync(ct);
    }
}
