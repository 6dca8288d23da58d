namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// Finds the FEEL texts of a model that break <see cref="FeelParser"/>'s length or nesting limits. Import and save
/// refuse such a model outright: an ordinary syntax error may stay in a draft while it is edited, but a text the
/// parser will never accept only makes every later compile and analysis fail.
/// </summary>
public static class DecisionLimits
{
    /// <summary>One error per offending text, naming the decision, rule, column and the position within the text.</summary>
    public static IReadOnlyList<DecisionDiagnostic> Check(DmnModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var errors = new List<DecisionDiagnostic>();
        foreach (var input in model.InputData)
        {
            Tests(errors, input.AllowedValues, $"Allowed values of input data '{input.Name}'", null, DecisionPart.InputValues);
        }

        foreach (var decision in model.Decisions)
        {
            switch (decision)
            {
                case LiteralExpressionDecision literal:
                    Expression(errors, literal.Expression, "Expression", decision.Name, DecisionPart.Expression);
                    break;
                case DecisionTableDefinition table:
                    CheckTable(errors, table);
                    break;
            }
        }

        return errors;
    }

    private static void CheckTable(List<DecisionDiagnostic> errors, DecisionTableDefinition table)
    {
        for (var i = 0; i < table.Inputs.Count; i++)
        {
            var input = table.Inputs[i];
            Expression(errors, input.Expression, "Input expression", table.Name, DecisionPart.InputExpression, column: i);
            Tests(errors, input.AllowedValues, "Allowed values", table.Name, DecisionPart.InputValues, column: i);
        }

        for (var o = 0; o < table.Outputs.Count; o++)
        {
            var output = table.Outputs[o];
            foreach (var value in output.OutputValues)
            {
                Expression(errors, value, "Output value", table.Name, DecisionPart.OutputValues, column: o);
            }

            Expression(errors, output.DefaultOutputEntry, "Default output", table.Name, DecisionPart.DefaultOutputEntry, column: o);
        }

        for (var r = 0; r < table.Rules.Count; r++)
        {
            var rule = table.Rules[r];
            for (var i = 0; i < rule.InputEntries.Count; i++)
            {
                Tests(errors, rule.InputEntries[i], "Input entry", table.Name, DecisionPart.InputEntry, r, rule.Id, i);
            }

            for (var o = 0; o < rule.OutputEntries.Count; o++)
            {
                Expression(errors, rule.OutputEntries[o], "Output entry", table.Name, DecisionPart.OutputEntry, r, rule.Id, o);
            }
        }
    }

    private static void Tests(List<DecisionDiagnostic> errors, string? text, string what, string? decision, DecisionPart part,
        int? rule = null, string? ruleId = null, int? column = null)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            Add(errors, FeelParser.ParseUnaryTests(text, FeelNames.Lenient).Error, what, decision, part, rule, ruleId, column);
        }
    }

    private static void Expression(List<DecisionDiagnostic> errors, string? text, string what, string? decision, DecisionPart part,
        int? rule = null, string? ruleId = null, int? column = null)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            Add(errors, FeelParser.ParseExpression(text, FeelNames.Lenient).Error, what, decision, part, rule, ruleId, column);
        }
    }

    private static void Add(List<DecisionDiagnostic> errors, FeelSyntaxError? error, string what, string? decision, DecisionPart part,
        int? rule, string? ruleId, int? column)
    {
        if (error is { ExceedsLimit: true })
        {
            errors.Add(new DecisionDiagnostic(DiagnosticSeverity.Error, $"{what}: {error.Message}",
                decision, part, rule, ruleId is { Length: > 0 } ? ruleId : null, column, error));
        }
    }
}
