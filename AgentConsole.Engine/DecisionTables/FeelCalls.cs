namespace AgentConsole.Engine.DecisionTables;

/// <summary>Compiles a call: a business knowledge model of the model first, then a built-in function.</summary>
internal static class FeelCalls
{
    public static FeelEvaluator Compile(FeelFunctionCall call, FeelEnv env, Func<FeelExpression, FeelEvaluator> compile)
    {
        if (env.Functions is { } functions && functions.TryGetValue(call.Function, out var knowledge))
        {
            var order = Arrange(call, knowledge.Parameters, knowledge.Parameters.Count, knowledge.Parameters.Count,
                $"The knowledge model '{knowledge.Name}'");
            var arguments = Compiled(call, order, compile);
            return slots => knowledge.Invoke(Evaluate(arguments, slots));
        }

        if (FeelBuiltins.TryGet(call.Function, out var builtin))
        {
            var order = Arrange(call, builtin.ParameterNames, builtin.Min, builtin.Max, $"{call.Function}()");
            var arguments = Compiled(call, order, compile);
            var apply = builtin.Apply;
            return slots => FeelBuiltins.Safely(apply, Evaluate(arguments, slots));
        }

        var known = env.Functions is { Count: > 0 } f ? $" The model's knowledge models are {string.Join(", ", f.Keys.Select(k => $"'{k}'"))}." : "";
        throw new FeelCompileException($"Unknown function '{call.Function}'.{known}", call.Span);
    }

    /// <summary>
    /// For each parameter position, the index of the argument that fills it (-1: none, the parameter is null).
    /// Positional calls must give between <paramref name="min"/> and <paramref name="max"/> arguments.
    /// </summary>
    private static int[] Arrange(FeelFunctionCall call, IReadOnlyList<string> parameters, int min, int max, string what)
    {
        if (call.ArgumentNames.Count == 0)
        {
            var count = call.Arguments.Count;
            if (count < min || count > max)
            {
                var expected = min == max ? $"{min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
                var names = parameters.Count > 0 ? $" ({string.Join(", ", parameters)})" : "";
                throw new FeelCompileException($"{what} takes {expected} argument{(expected == "1" ? "" : "s")}{names}; this call gives {count}.", call.Span);
            }

            return [.. Enumerable.Range(0, count)];
        }

        var order = Enumerable.Repeat(-1, parameters.Count).ToArray();
        for (var i = 0; i < call.ArgumentNames.Count; i++)
        {
            var name = call.ArgumentNames[i];
            var at = IndexOf(parameters, name);
            if (at < 0)
            {
                throw new FeelCompileException($"{what} has no parameter named '{name}'; its parameters are {string.Join(", ", parameters)}.", call.Span);
            }

            order[at] = i;
        }

        var given = order.Count(o => o >= 0);
        if (given < min)
        {
            throw new FeelCompileException($"{what} needs its parameters {string.Join(", ", parameters.Take(min))}; this call names {given}.", call.Span);
        }

        // Trailing parameters that were not named are left out, so optional ones keep their defaults.
        var last = Array.FindLastIndex(order, o => o >= 0);
        return order[..(last + 1)];
    }

    private static int IndexOf(IReadOnlyList<string> parameters, string name)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            if (string.Equals(parameters[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static FeelEvaluator?[] Compiled(FeelFunctionCall call, int[] order, Func<FeelExpression, FeelEvaluator> compile) =>
        [.. order.Select(o => o < 0 ? null : compile(call.Arguments[o]))];

    private static FeelValue[] Evaluate(FeelEvaluator?[] arguments, FeelValue[] slots)
    {
        var values = new FeelValue[arguments.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = arguments[i] is { } argument ? argument(slots) : FeelValue.Null;
        }

        return values;
    }
}
