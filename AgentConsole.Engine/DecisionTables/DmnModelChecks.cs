namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// What a stored model may never hold, checked at import and at every save: texts past the parser's limits, decisions
/// that require each other in a cycle, and types that name item definitions the model does not have. (An ordinary
/// syntax error may stay in a draft while it is edited; these make every evaluation of the model fail.)
/// </summary>
public static class DmnModelChecks
{
    public static IReadOnlyList<DecisionDiagnostic> Refusals(DmnModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var errors = DecisionLimits.Check(model).ToList();
        if (errors.Count > 0)
        {
            // Compiling such texts is what the limits protect against.
            return errors;
        }

        if (model.Decisions.Count > 1)
        {
            errors.AddRange(CompiledDmnModel.Compile(model).Diagnostics.Where(IsCycle));
        }

        errors.AddRange(ItemTypes.Validate(model));
        return errors;
    }

    private static bool IsCycle(DecisionDiagnostic d) =>
        d.Severity == DiagnosticSeverity.Error && d.Part == DecisionPart.Decision && d.Message.Contains("cycle", StringComparison.OrdinalIgnoreCase);
}
