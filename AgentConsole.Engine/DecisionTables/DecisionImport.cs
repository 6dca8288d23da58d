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
/// Imports a DMN file into the catalog: every supported decision becomes a stored decision (draft v1) with the
/// file's input data; unsupported constructs are reported, never silently dropped.
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
        if (DecisionLimits.Check(result.Model) is { Count: > 0 } tooLarge)
        {
            // Nothing is stored: such a text would fail every compile of the decision and of any run bound to it.
            issues.AddRange(tooLarge.Select(e => new DmnImportIssue(DiagnosticSeverity.Error, e.ToString())));
            return new DecisionImportOutcome([], issues);
        }

        if (result.Model.Decisions.Count == 0)
        {
            issues.Add(new DmnImportIssue(DiagnosticSeverity.Error, "The file holds no decision table or literal expression decision that can be imported."));
            return new DecisionImportOutcome([], issues);
        }

        var imported = new List<ImportedDecision>();
        foreach (var decision in result.Model.Decisions)
        {
            var model = result.Model with { Name = decision.Name, Decisions = [decision] };
            var stored = await catalog.CreateAsync(model, actor, agentKey, ct);
            imported.Add(new ImportedDecision(stored.Decision.Key, stored.Decision.Name));
        }

        return new DecisionImportOutcome(imported, issues);
    }
}
