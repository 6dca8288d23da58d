namespace AgentConsole.Engine.DecisionTables;

/// <summary>Compiles FEEL's structured expressions: paths, filters, list and context literals, if, for, some/every, in, between.</summary>
internal static class FeelStructures
{
    public static FeelEvaluator Compile(FeelExpression expression, FeelEnv env) => expression switch
    {
        FeelPath path => Path(path, env),
        FeelFilter filter => Filter(filter, env),
        FeelListLiteral list => List(list, env),
        FeelContextLiteral context => Context(context, env),
        FeelIf conditional => If(conditional, env),
        FeelFor loop => For(loop, env),
        FeelQuantified quantified => Quantified(quantified, env),
        FeelIn membership => In(membership, env),
        FeelBetween between => Between(between, env),
        _ => throw new NotSupportedException($"Unknown expression node {expression.GetType().Name}."),
    };

    private static FeelEvaluator Path(FeelPath path, FeelEnv env)
    {
        var target = FeelCompiler.Compile(path.Target, env);
        var member = path.Member;
        return slots => Member(target(slots), member);
    }

    /// <summary>A component of a context; of each item of a list (a list of the components); or a property of a date, time or duration.</summary>
    public static FeelValue Member(in FeelValue value, string member)
    {
        switch (value.Kind)
        {
            case FeelKind.Context:
                return value.Context.TryGet(member, out var found) ? found : FeelValue.Null;
            case FeelKind.List:
            {
                var items = value.List;
                var result = new FeelValue[items.Length];
                for (var i = 0; i < items.Length; i++)
                {
                    result[i] = Member(items[i], member);
                }

                return FeelValue.FromList(result);
            }

            default:
                return FeelProperties.Get(value, member);
        }
    }

    private static FeelEvaluator Filter(FeelFilter filter, FeelEnv env)
    {
        var source = FeelCompiler.Compile(filter.Source, env);
        var item = env.Reserve();
        env.EnterFilter(item);
        FeelEvaluator condition;
        try
        {
            condition = FeelCompiler.Compile(filter.Condition, env);
        }
        finally
        {
            env.LeaveFilter();
        }

        return slots =>
        {
            var value = source(slots);
            if (value.IsNull)
            {
                return FeelValue.Null;
            }

            // FEEL treats a single value as a list of one.
            var items = value.Kind == FeelKind.List ? value.List : [value];
            slots[item] = items.Length > 0 ? items[0] : FeelValue.Null;
            var first = condition(slots);
            if (first.Kind == FeelKind.Number)
            {
                // list[2], list[-1]: the item at a 1-based position, counted from the end when negative.
                var index = first.Number;
                if (index != decimal.Truncate(index) || index == 0 || Math.Abs(index) > items.Length)
                {
                    return FeelValue.Null;
                }

                return items[index > 0 ? (int)index - 1 : items.Length + (int)index];
            }

            if (!FeelBudget.Spend(items.Length))
            {
                return FeelValue.Null;
            }

            var kept = new List<FeelValue>(items.Length);
            for (var i = 0; i < items.Length; i++)
            {
                var test = i == 0 ? first : Evaluate(condition, slots, item, items[i]);
                if (test.Kind == FeelKind.Boolean && test.Boolean)
                {
                    kept.Add(items[i]);
                }
            }

            return FeelValue.FromList([.. kept]);
        };
    }

    private static FeelValue Evaluate(FeelEvaluator evaluate, FeelValue[] slots, int slot, in FeelValue value)
    {
        slots[slot] = value;
        return evaluate(slots);
    }

    private static FeelEvaluator List(FeelListLiteral list, FeelEnv env)
    {
        var items = list.Items.Select(i => FeelCompiler.Compile(i, env)).ToArray();
        return slots =>
        {
            var values = new FeelValue[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                values[i] = items[i](slots);
            }

            return FeelValue.FromList(values);
        };
    }

    private static FeelEvaluator Context(FeelContextLiteral context, FeelEnv env)
    {
        var mark = env.Mark();
        var keys = new string[context.Entries.Count];
        var entries = new (int Slot, FeelEvaluator Value)[context.Entries.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = context.Entries[i];
            keys[i] = entry.Key;
            var value = FeelCompiler.Compile(entry.Value, env);
            entries[i] = (env.Declare(entry.Key), value);
        }

        env.Release(mark);
        return slots =>
        {
            var values = new FeelValue[entries.Length];
            for (var i = 0; i < entries.Length; i++)
            {
                values[i] = slots[entries[i].Slot] = entries[i].Value(slots);
            }

            return FeelValue.FromContext(new FeelContext(keys, values));
        };
    }

    private static FeelEvaluator If(FeelIf conditional, FeelEnv env)
    {
        var condition = FeelCompiler.Compile(conditional.Condition, env);
        var then = FeelCompiler.Compile(conditional.Then, env);
        var otherwise = FeelCompiler.Compile(conditional.Else, env);
        return slots => condition(slots) is { Kind: FeelKind.Boolean, Boolean: true } ? then(slots) : otherwise(slots);
    }

    private static (FeelEvaluator Source, int Slot)[] Iterations(EquatableArray<FeelIteration> iterations, FeelEnv env)
    {
        var compiled = new (FeelEvaluator, int)[iterations.Count];
        for (var i = 0; i < compiled.Length; i++)
        {
            var source = FeelCompiler.Compile(iterations[i].Source, env);
            compiled[i] = (source, env.Declare(iterations[i].Variable));
        }

        return compiled;
    }

    /// <summary>Runs <paramref name="body"/> for every combination of the iterations' items (the first varies slowest); false stops.</summary>
    private static bool Each((FeelEvaluator Source, int Slot)[] iterations, int level, FeelValue[] slots, Func<FeelValue[], bool> body)
    {
        if (level == iterations.Length)
        {
            return body(slots);
        }

        var (source, slot) = iterations[level];
        var value = source(slots);
        if (value.IsNull)
        {
            return true;
        }

        foreach (var item in value.Kind == FeelKind.List ? value.List : [value])
        {
            if (!FeelBudget.Spend(1))
            {
                return false;
            }

            slots[slot] = item;
            if (!Each(iterations, level + 1, slots, body))
            {
                return false;
            }
        }

        return true;
    }

    private static FeelEvaluator For(FeelFor loop, FeelEnv env)
    {
        var mark = env.Mark();
        var iterations = Iterations(loop.Iterations, env);
        var body = FeelCompiler.Compile(loop.Return, env);
        env.Release(mark);
        return slots =>
        {
            var results = new List<FeelValue>();
            var complete = Each(iterations, 0, slots, s =>
            {
                results.Add(body(s));
                return true;
            });
            return complete ? FeelValue.FromList([.. results]) : FeelValue.Null;
        };
    }

    private static FeelEvaluator Quantified(FeelQuantified quantified, FeelEnv env)
    {
        var mark = env.Mark();
        var iterations = Iterations(quantified.Iterations, env);
        var condition = FeelCompiler.Compile(quantified.Satisfies, env);
        env.Release(mark);
        var every = quantified.Every;
        return slots =>
        {
            // some: true once an item satisfies; every: false once one does not.
            var decided = false;
            var complete = Each(iterations, 0, slots, s =>
            {
                var holds = condition(s) is { Kind: FeelKind.Boolean, Boolean: true };
                if (holds != every)
                {
                    decided = true;
                    return false;
                }

                return true;
            });
            // Stopped by the budget before anything decided: unknown.
            return !complete && !decided ? FeelValue.Null : FeelValue.FromBoolean(every ? !decided : decided);
        };
    }

    private static FeelEvaluator In(FeelIn membership, FeelEnv env)
    {
        var value = FeelCompiler.Compile(membership.Value, env);
        var test = FeelCompiler.CompileTest(membership.Test, env);
        return slots => FeelOps.FromTri(test(value(slots), slots));
    }

    private static FeelEvaluator Between(FeelBetween between, FeelEnv env)
    {
        var value = FeelCompiler.Compile(between.Value, env);
        var low = FeelCompiler.Compile(between.Low, env);
        var high = FeelCompiler.Compile(between.High, env);
        return slots =>
        {
            var v = value(slots);
            return FeelOps.Compare(v, low(slots)) is { } fromLow && FeelOps.Compare(v, high(slots)) is { } fromHigh
                ? FeelValue.FromBoolean(fromLow >= 0 && fromHigh <= 0)
                : FeelValue.Null;
        };
    }
}
