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

            foreach (var child in Children(node))
            {
                pending.Push((child, depth + 1));
            }
        }
    }

    private static IEnumerable<object> Children(object node)
    {
        switch (node)
        {
            case FeelNegation n:
                yield return n.Operand;
                break;
            case FeelNot n:
                yield return n.Operand;
                break;
            case FeelBinary b:
                yield return b.Left;
                yield return b.Right;
                break;
            case FeelFunctionCall c:
                foreach (var argument in c.Arguments)
                {
                    yield return argument;
                }

                break;
            case ComparisonTest c:
                yield return c.Value;
                break;
            case RangeTest r:
                yield return r.Start;
                yield return r.End;
                break;
            case DisjunctionTest d:
                foreach (var test in d.Tests)
                {
                    yield return test;
                }

                break;
            case NegatedTest n:
                yield return n.Test;
                break;
        }
    }
}
