namespace AgentConsole.Engine.DecisionTables;

/// <summary>The child nodes of every syntax node, in one place, for the visitors that walk trees.</summary>
public static class FeelTree
{
    /// <summary>The direct children of an expression or unary test: expressions, unary tests.</summary>
    public static IEnumerable<object> Children(object node)
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
            case FeelPath p:
                yield return p.Target;
                break;
            case FeelFilter f:
                yield return f.Source;
                yield return f.Condition;
                break;
            case FeelListLiteral l:
                foreach (var item in l.Items)
                {
                    yield return item;
                }

                break;
            case FeelContextLiteral c:
                foreach (var entry in c.Entries)
                {
                    yield return entry.Value;
                }

                break;
            case FeelIf i:
                yield return i.Condition;
                yield return i.Then;
                yield return i.Else;
                break;
            case FeelQuantified q:
                foreach (var iteration in q.Iterations)
                {
                    yield return iteration.Source;
                }

                yield return q.Satisfies;
                break;
            case FeelFor f:
                foreach (var iteration in f.Iterations)
                {
                    yield return iteration.Source;
                }

                yield return f.Return;
                break;
            case FeelIn i:
                yield return i.Value;
                yield return i.Test;
                break;
            case FeelBetween b:
                yield return b.Value;
                yield return b.Low;
                yield return b.High;
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
            case ExpressionTest e:
                yield return e.Expression;
                break;
        }
    }

    /// <summary>Every node of a tree, the root first; iterative, so any tree the parser returns is safe to walk.</summary>
    public static IEnumerable<object> Descendants(object root)
    {
        var pending = new Stack<object>();
        pending.Push(root);
        while (pending.TryPop(out var node))
        {
            yield return node;
            foreach (var child in Children(node))
            {
                pending.Push(child);
            }
        }
    }
}
