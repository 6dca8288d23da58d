namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// The names a FEEL text refers to (free variables and path roots, as the compiler collects them) and the functions it
/// calls, read leniently: names the parser does not know (a function's parameters) do not stop the walk. The exporter
/// intersects them with the model's element names to write information and knowledge requirements.
/// </summary>
internal static class FeelReferences
{
    public static void Collect(string? text, bool isTests, ISet<string> names)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        object? tree = isTests
            ? FeelParser.ParseUnaryTests(text, FeelNames.Lenient).Value
            : FeelParser.ParseExpression(text, FeelNames.Lenient).Value;
        switch (tree)
        {
            case UnaryTest test:
                FeelCompiler.CollectNames(test, names);
                break;
            case FeelExpression expression:
                FeelCompiler.CollectNames(expression, names);
                break;
            default:
                return;
        }

        // Called functions are not variables, so the compiler's walk leaves them out; a call to a business knowledge
        // model is a knowledge requirement. The parser bounds the tree's depth, so an explicit stack suffices.
        var pending = new Stack<object>([tree]);
        while (pending.TryPop(out var node))
        {
            if (node is FeelFunctionCall call)
            {
                names.Add(call.Function);
            }

            foreach (var child in FeelTree.Children(node))
            {
                pending.Push(child);
            }
        }
    }
}
