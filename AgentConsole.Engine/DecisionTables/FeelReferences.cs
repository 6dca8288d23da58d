namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// The names a FEEL text mentions (variables, path roots and called functions), read leniently: names the parser does
/// not know (a context's own entries, a function's parameters) do not stop the walk. The exporter intersects them with
/// the model's element names to write information and knowledge requirements.
/// </summary>
internal static class FeelReferences
{
    public static void Collect(string? text, bool isTests, ISet<string> names)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        if (isTests)
        {
            if (FeelParser.ParseUnaryTests(text, FeelNames.Lenient).Value is { } tests)
            {
                Walk(tests, names);
            }
        }
        else if (FeelParser.ParseExpression(text, FeelNames.Lenient).Value is { } expression)
        {
            Walk(expression, names);
        }
    }

    private static void Walk(UnaryTest test, ISet<string> names)
    {
        switch (test)
        {
            case ComparisonTest c:
                Walk(c.Value, names);
                break;
            case RangeTest r:
                Walk(r.Start, names);
                Walk(r.End, names);
                break;
            case DisjunctionTest d:
                foreach (var inner in d.Tests)
                {
                    Walk(inner, names);
                }

                break;
            case ExpressionTest e:
                Walk(e.Expression, names);
                break;
            case NegatedTest n:
                Walk(n.Test, names);
                break;
        }
    }

    private static void Walk(FeelExpression expression, ISet<string> names)
    {
        switch (expression)
        {
            case FeelName n:
                names.Add(n.Name);
                break;
            case FeelNegation n:
                Walk(n.Operand, names);
                break;
            case FeelNot n:
                Walk(n.Operand, names);
                break;
            case FeelBinary b:
                Walk(b.Left, names);
                Walk(b.Right, names);
                break;
            case FeelFunctionCall c:
                names.Add(c.Function);
                foreach (var argument in c.Arguments)
                {
                    Walk(argument, names);
                }

                break;
            case FeelPath p:
                Walk(p.Target, names);
                break;
            case FeelFilter f:
                Walk(f.Source, names);
                Walk(f.Condition, names);
                break;
            case FeelListLiteral l:
                foreach (var item in l.Items)
                {
                    Walk(item, names);
                }

                break;
            case FeelContextLiteral c:
                foreach (var entry in c.Entries)
                {
                    Walk(entry.Value, names);
                }

                break;
            case FeelIf i:
                Walk(i.Condition, names);
                Walk(i.Then, names);
                Walk(i.Else, names);
                break;
            case FeelQuantified q:
                foreach (var iteration in q.Iterations)
                {
                    Walk(iteration.Source, names);
                }

                Walk(q.Satisfies, names);
                break;
            case FeelFor f:
                foreach (var iteration in f.Iterations)
                {
                    Walk(iteration.Source, names);
                }

                Walk(f.Return, names);
                break;
            case FeelIn i:
                Walk(i.Value, names);
                Walk(i.Test, names);
                break;
            case FeelBetween b:
                Walk(b.Value, names);
                Walk(b.Low, names);
                Walk(b.High, names);
                break;
        }
    }
}
