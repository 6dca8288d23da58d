using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.DecisionBenchmarks;

/// <summary>
/// The baseline: the evaluator one writes first. Cells are parsed once up front (parsing per call would be a straw man),
/// then every evaluation walks the syntax trees, looks each input up in the dictionary for each cell and compares
/// boxed values. Rules stop at their first failing cell and FIRST stops at the first matching rule, as any
/// reasonable implementation would.
/// </summary>
public sealed class InterpretingEvaluator
{
    private readonly DecisionTableDefinition _table;
    private readonly FeelExpression[] _inputExpressions;
    private readonly UnaryTest[][] _cells;
    private readonly FeelExpression[][] _outputs;

    public InterpretingEvaluator(DecisionTableDefinition table)
    {
        _table = table;
        _inputExpressions = [.. table.Inputs.Select(i => FeelParser.ParseExpression(i.Expression).Value!)];
        _cells = [.. table.Rules.Select(r => r.InputEntries.Select(e => FeelParser.ParseUnaryTests(e).Value!).ToArray())];
        _outputs = [.. table.Rules.Select(r => r.OutputEntries.Select(e => FeelParser.ParseExpression(e).Value!).ToArray())];
    }

    public object? Evaluate(IReadOnlyDictionary<string, object?> inputs)
    {
        var matches = new List<int>();
        for (var r = 0; r < _cells.Length; r++)
        {
            var matched = true;
            for (var i = 0; i < _cells[r].Length; i++)
            {
                var value = Eval(_inputExpressions[i], inputs);
                if (!Matches(_cells[r][i], value, inputs))
                {
                    matched = false;
                    break;
                }
            }

            if (matched)
            {
                matches.Add(r);
                if (_table.HitPolicy == HitPolicy.First)
                {
                    break;
                }
            }
        }

        if (matches.Count == 0)
        {
            return null;
        }

        if (_table.HitPolicy == HitPolicy.Unique && matches.Count > 1)
        {
            throw new InvalidOperationException($"UNIQUE violated by {matches.Count} rules.");
        }

        return Eval(_outputs[matches[0]][0], inputs);
    }

    private static object? Eval(FeelExpression expression, IReadOnlyDictionary<string, object?> inputs) => expression switch
    {
        FeelLiteral literal => literal.Value,
        FeelName name => Normalize(inputs.TryGetValue(name.Name, out var value) ? value : null),
        FeelNegation negation => Eval(negation.Operand, inputs) is decimal d ? -d : null,
        FeelBinary binary => Binary(binary.Operator, Eval(binary.Left, inputs), Eval(binary.Right, inputs)),
        _ => throw new NotSupportedException(expression.GetType().Name),
    };

    private static object? Normalize(object? value) => value switch
    {
        int i => (decimal)i,
        long l => (decimal)l,
        double d => (decimal)d,
        _ => value,
    };

    private static object? Binary(FeelBinaryOperator op, object? left, object? right) => (op, left, right) switch
    {
        (FeelBinaryOperator.Add, decimal a, decimal b) => a + b,
        (FeelBinaryOperator.Subtract, decimal a, decimal b) => a - b,
        (FeelBinaryOperator.Multiply, decimal a, decimal b) => a * b,
        (FeelBinaryOperator.Divide, decimal a, decimal b) when b != 0 => a / b,
        _ => null,
    };

    private static bool Matches(UnaryTest test, object? value, IReadOnlyDictionary<string, object?> inputs) => test switch
    {
        AnyTest => true,
        ComparisonTest comparison => Compare(comparison.Operator, value, Eval(comparison.Value, inputs)),
        RangeTest range => value is not null
            && (range.StartIncluded ? Compare(ComparisonOperator.GreaterOrEqual, value, Eval(range.Start, inputs)) : Compare(ComparisonOperator.Greater, value, Eval(range.Start, inputs)))
            && (range.EndIncluded ? Compare(ComparisonOperator.LessOrEqual, value, Eval(range.End, inputs)) : Compare(ComparisonOperator.Less, value, Eval(range.End, inputs))),
        DisjunctionTest list => list.Tests.Any(t => Matches(t, value, inputs)),
        NegatedTest negated => !Matches(negated.Test, value, inputs),
        _ => throw new NotSupportedException(test.GetType().Name),
    };

    private static bool Compare(ComparisonOperator op, object? value, object? endpoint)
    {
        if (op == ComparisonOperator.Equal)
        {
            return Equals(value, endpoint);
        }

        if (op == ComparisonOperator.NotEqual)
        {
            return value is not null && !Equals(value, endpoint);
        }

        if (value is not IComparable comparable || endpoint is null || value.GetType() != endpoint.GetType())
        {
            return false;
        }

        var order = comparable.CompareTo(endpoint);
        return op switch
        {
            ComparisonOperator.Less => order < 0,
            ComparisonOperator.LessOrEqual => order <= 0,
            ComparisonOperator.Greater => order > 0,
            _ => order >= 0,
        };
    }
}
