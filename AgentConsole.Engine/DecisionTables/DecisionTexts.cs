namespace AgentConsole.Engine.DecisionTables;

/// <summary>Every FEEL text of a decision, with whether it is read as unary tests (input entries, allowed values).</summary>
public static class DecisionTexts
{
    /// <summary>The non-empty texts of a literal expression or decision table, in table order.</summary>
    public static IEnumerable<(string Text, bool IsTests)> Of(DmnDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return All(decision).Where(t => !string.IsNullOrWhiteSpace(t.Text)).Select(t => (t.Text!, t.IsTests));
    }

    private static IEnumerable<(string? Text, bool IsTests)> All(DmnDecision decision)
    {
        switch (decision)
        {
            case LiteralExpressionDecision literal:
                yield return (literal.Expression, false);
                break;
            case DecisionTableDefinition table:
                foreach (var input in table.Inputs)
                {
                    yield return (input.Expression, false);
                    yield return (input.AllowedValues, true);
                }

                foreach (var output in table.Outputs)
                {
                    yield return (output.DefaultOutputEntry, false);
                }

                foreach (var rule in table.Rules)
                {
                    foreach (var entry in rule.InputEntries)
                    {
                        yield return (entry, true);
                    }

                    foreach (var entry in rule.OutputEntries)
                    {
                        yield return (entry, false);
                    }
                }

                break;
        }
    }
}
