namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// Measures a parsed tree without recursion. The parser's own nesting guard does not bound the tree: an operator
/// chain such as <c>a + b + c + …</c> is parsed by a loop but builds a left-deep tree, one level per operator.
/// </summary>
internal static class FeelTreeDepth
{
    /// <summary>Throws a positioned <see cref="FeelSyntaxException"/> when <paramref name="tree"/> is deeper than <see cref="FeelParser.MaxDepth"/>.</summary>
    public static void Check(object tree)
    {
        var pending = new Stack<(object Node, int Depth)>();
        pending.Push((tree, 1));
        while (pending.TryPop(out var item))
        {
            var (node, depth) = item;
            if (depth > FeelParser.MaxDepth)
            {
                var span = node switch
                {
                    FeelExpression e => e.Span,
                    UnaryTest t => t.Span,
                    _ => default,
                };
                throw FeelParser.TooDeep(span.Start, span.Length);
            }

            foreach (var child in FeelTree.Children(node))
            {
                pending.Push((child, depth + 1));
            }
        }
    }
}
