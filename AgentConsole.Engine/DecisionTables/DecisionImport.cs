namespace AgentConsole.Engine.DecisionTables;

public sealed record ImportedDecision(string Key, string Name);

/// <summary>What an import stored and what it could not take over; <see cref="Issues"/> carry line and column.</summary>
public sealed record DecisionImportOutcome(IReadOnlyList<ImportedDecision> Imported, IReadOnlyList<DmnImportIssue> Issues)
{
    public bool Succeeded => Imported.Count > 0;

    public IReadOnlyList<string> Errors => [.. Issues.Where(i => i.Severity == DiagnosticSeverity.Error).Select(i => i.ToString())];

    public IReadOnlyList<string> Warnings => [.. Issues.Where(i => i.Severity == DiagnosticSeverity.Warning).Select(i => i.ToString())];
}

/// <summary>
/// Imports a DMN file into the catalog as ONE stored decision holding the whole model (all decisions, input data, item
/// definitions and knowledge models), named after its main decision (the file's top decision), draft v1. A model whose
/// decisions require each other in a cycle, or that names item definitions it does not have, is refused with the path
/// named; unsupported constructs are reported, never silently dropped.
/// </summary>
public sealed class DecisionImport(DecisionCatalog catalog)
{
    public async Task<DecisionImportOutcome> ImportAsync(string xml, string actor, string? agentKey = null, CancellationToken ct = default)
    {
        var result = DmnXml.Import(xml);
        if (result.Model is null)
        {
            return new DecisionImportOutcome([], [.. result.Issues]);
        }

        var issues = result.Issues.ToList();
        if (result.Model.Decisions.Count == 0)
        {
            issues.Add(new DmnImportIssue(DiagnosticSeverity.Error, "The file holds no decision table or literal expression decision that can be imported."));
            return new DecisionImportOutcome([], issues);
        }

        if (DmnModelChecks.Refusals(result.Model) is { Count: > 0 } refused)
        {
            // Nothing is stored: such a model would fail every compile of the decision and of any run bound to it.
            issues.AddRange(refused.Select(e => new DmnImportIssue(DiagnosticSeverity.Error, e.ToString())));
            return new DecisionImportOutcome([], issues);
        }

        // A one-decision file is stored as it always was: the model takes the decision's name. A larger model keeps the
        // file's own name (export writes it back) and records its top decision as the main one, so agents and callers
        // that name no decision keep evaluating the same decision even if decisions are added later.
        var main = result.Model.Main();
        var model = result.Model.Decisions.Count == 1
            ? result.Model with { Name = main.Name }
            : result.Model with { MainDecision = main.Name };
        var stored = await catalog.CreateAsync(model, actor, agentKey, ct);
        return new DecisionImportOutcome([new ImportedDecision(stored.Decision.Key, stored.Decision.Name)], issues);
    }
}
