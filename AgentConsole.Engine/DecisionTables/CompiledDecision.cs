namespace AgentConsole.Engine.DecisionTables;

/// <summary>A decision compiled for repeated evaluation; compile once, evaluate from many threads.</summary>
public abstract class CompiledDecision
{
    // One value array per thread, reused: evaluation never calls out to user code, so it cannot re-enter.
    [ThreadStatic]
    private static FeelValue[]? t_slots;

    private readonly SlotScope _scope;
    private readonly int[] _bindings;
    private readonly string[] _bindingNames;
    private readonly FeelType?[] _bindingTypes;

    private protected CompiledDecision(string name, SlotScope scope, IReadOnlyList<int> bindings)
    {
        Name = name;
        _scope = scope;
        _bindings = [.. bindings];
        _bindingNames = [.. _bindings.Select(b => scope.Variables[b].Name)];
        _bindingTypes = [.. _bindings.Select(b => scope.Variables[b].Type)];
        InputNames = _bindingNames;
    }

    public string Name { get; }

    /// <summary>The input names the caller supplies, e.g. <c>employees</c>, <c>industry</c>. A missing input is null.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>
    /// Evaluates with caller values keyed by input name: strings, numbers (decimal/double/int/long), booleans, dates,
    /// ISO-8601 strings for temporal typeRefs, <see cref="System.Text.Json.JsonElement"/>s or null.
    /// Never throws for bad input or an inconsistent table: see <see cref="DecisionResult.Error"/>.
    /// </summary>
    public DecisionResult Evaluate(IReadOnlyDictionary<string, object?> inputs, bool includeTrace = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        FeelBudget.Reset();
        var result = (includeTrace ? null : TryEvaluateDirect(inputs)) ?? EvaluateGeneral(inputs, includeTrace);
        return FeelBudget.Exceeded is { } exceeded ? DecisionResult.Failure(Name, DecisionErrorKind.InvalidOutput, exceeded) : result;
    }

    /// <summary>The path every evaluation can take: coerce each input into its slot, then evaluate the slots.</summary>
    internal DecisionResult EvaluateGeneral(IReadOnlyDictionary<string, object?> inputs, bool includeTrace = false)
    {
        var size = _scope.SlotCount;
        var slots = t_slots is { } cached && cached.Length >= size ? cached : t_slots = new FeelValue[Math.Max(size, 16)];
        var (bindings, names, types) = (_bindings, _bindingNames, _bindingTypes);
        for (var i = 0; i < bindings.Length; i++)
        {
            inputs.TryGetValue(names[i], out var raw);
            var problem = FeelCoercion.TryCoerce(raw, types[i], out slots[bindings[i]]);
            if (problem is not null)
            {
                return DecisionResult.Failure(Name, DecisionErrorKind.InvalidInput, $"Input '{names[i]}' {problem}.", inputName: names[i]);
            }
        }

        return EvaluateSlots(slots, includeTrace);
    }

    internal abstract DecisionResult EvaluateSlots(FeelValue[] slots, bool trace);

    /// <summary>
    /// A shortcut for inputs a decision can use as they come, without filling slots. Null means "not handled here":
    /// the caller then takes the general path, so a shortcut only has to be right for what it accepts.
    /// </summary>
    internal virtual DecisionResult? TryEvaluateDirect(IReadOnlyDictionary<string, object?> inputs) => null;

    private protected ReadOnlySpan<int> BindingSlots => _bindings;

    private protected ReadOnlySpan<string> BindingNames => _bindingNames;

    private protected ReadOnlySpan<FeelType?> BindingTypes => _bindingTypes;
}

/// <summary>A literal-expression decision compiled to a closure over its inputs.</summary>
public sealed class CompiledLiteralExpression : CompiledDecision
{
    private readonly FeelEvaluator _evaluate;
    private readonly FeelType? _type;

    private CompiledLiteralExpression(LiteralExpressionDecision definition, SlotScope scope, IReadOnlyList<int> bindings, FeelEvaluator evaluate)
        : base(definition.Name, scope, bindings)
    {
        Definition = definition;
        _evaluate = evaluate;
        _type = definition.TypeRef;
    }

    public LiteralExpressionDecision Definition { get; }

    /// <summary>
    /// Compiles a stand-alone literal expression. With <paramref name="inputData"/> its names are checked and typed;
    /// without, every name in the expression is an untyped input.
    /// </summary>
    public static DecisionCompilation<CompiledLiteralExpression> Compile(LiteralExpressionDecision definition, IEnumerable<InputData>? inputData = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var scope = new SlotScope();
        if (inputData is not null)
        {
            foreach (var input in inputData)
            {
                scope.Add(input.Name, input.TypeRef);
            }
        }
        else if (FeelParser.ParseExpression(definition.Expression, FeelNames.Lenient).Value is { } lenient)
        {
            var names = new List<string>();
            FeelCompiler.CollectNames(lenient, names);
            foreach (var name in names)
            {
                scope.Add(name, null);
            }
        }

        var diagnostics = new List<DecisionDiagnostic>();
        var compiled = Compile(definition, scope, null, diagnostics);
        return new DecisionCompilation<CompiledLiteralExpression>(compiled, diagnostics);
    }

    internal static CompiledLiteralExpression? Compile(LiteralExpressionDecision definition, SlotScope scope, IReadOnlyList<int>? bindings, List<DecisionDiagnostic> diagnostics)
    {
        var parsed = FeelParser.ParseExpression(definition.Expression, scope.Names);
        if (!parsed.Success)
        {
            diagnostics.Add(new DecisionDiagnostic(DiagnosticSeverity.Error, parsed.Error!.Message, definition.Name, DecisionPart.Expression, Syntax: parsed.Error));
            return null;
        }

        if (bindings is null)
        {
            var names = new List<string>();
            FeelCompiler.CollectNames(parsed.Value!, names);
            bindings = [.. names.Select(n => scope.TryGet(n, out var slot) ? slot : -1).Where(s => s >= 0).Distinct()];
        }

        try
        {
            return new CompiledLiteralExpression(definition, scope, bindings, FeelCompiler.Compile(parsed.Value!, FeelEnv.For(scope)));
        }
        catch (FeelCompileException e)
        {
            diagnostics.Add(new DecisionDiagnostic(DiagnosticSeverity.Error, e.Message, definition.Name, DecisionPart.Expression,
                Syntax: FeelParser.ToError(definition.Expression, e.Message, e.Span.Start, e.Span.Length)));
            return null;
        }
    }

    internal override DecisionResult EvaluateSlots(FeelValue[] slots, bool trace)
    {
        var value = _evaluate(slots);
        if (_type is not null && value.Kind == FeelKind.List && value.List.Length == 1)
        {
            // FEEL 1.3 singleton-list conversion: a list of one where a single value is declared is that value.
            value = value.List[0];
        }

        if (_type is { } type && !value.IsNull && !FeelCoercion.Matches(value.Kind, type))
        {
            return DecisionResult.Failure(Name, DecisionErrorKind.InvalidOutput,
                $"Decision '{Name}' computed the {FeelValue.KindName(value.Kind)} {value}, but its type is {DmnText.TypeRefName(type)}.");
        }

        return new DecisionResult { DecisionName = Name, Value = value.ToClr() };
    }
}
