namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// All decisions of a <see cref="DmnModel"/> compiled against its input data. A decision may use other decisions'
/// results by name; they are evaluated first, in dependency order, once per call.
/// </summary>
public sealed class CompiledDmnModel
{
    private readonly Dictionary<string, int> _decisionIndex;
    private readonly CompiledDecision[] _decisions;
    private readonly int[] _decisionSlots;
    private readonly int[][] _plans;
    private readonly int[][] _inputs;
    private readonly SlotScope _scope;
    private readonly Dictionary<int, (FeelTest Test, string Text)> _allowed;
    private readonly Dictionary<int, string> _structured;

    [ThreadStatic]
    private static FeelValue[]? t_slots;

    private CompiledDmnModel(DmnModel model, SlotScope scope, CompiledDecision[] decisions, int[] decisionSlots, int[][] plans, int[][] inputs,
        Dictionary<int, (FeelTest Test, string Text)> allowed, Dictionary<int, string> structured)
    {
        Model = model;
        _structured = structured;
        _allowed = allowed;
        _scope = scope;
        _decisions = decisions;
        _decisionSlots = decisionSlots;
        _plans = plans;
        _inputs = inputs;
        _decisionIndex = decisions.Select((d, i) => (d.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
    }

    public DmnModel Model { get; }

    public IEnumerable<string> DecisionNames => _decisions.Select(d => d.Name);

    public static DecisionCompilation<CompiledDmnModel> Compile(DmnModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var diagnostics = new List<DecisionDiagnostic>();
        var scope = new SlotScope();
        var inputSlots = new HashSet<int>();
        var allowed = new Dictionary<int, (FeelTest, string)>();
        var structured = new Dictionary<int, string>();
        diagnostics.AddRange(ItemTypes.Validate(model));
        foreach (var input in model.InputData)
        {
            var slot = scope.Add(input.Name, input.TypeRef);
            inputSlots.Add(slot);
            if (!string.IsNullOrWhiteSpace(input.TypeName))
            {
                structured[slot] = input.TypeName;
            }

            if (!string.IsNullOrWhiteSpace(input.AllowedValues))
            {
                var parsed = FeelParser.ParseUnaryTests(input.AllowedValues, FeelNames.Lenient);
                if (parsed.Success)
                {
                    try
                    {
                        allowed[slot] = (FeelCompiler.CompileTest(parsed.Value!, static _ => -1), input.AllowedValues.Trim());
                    }
                    catch (FeelCompileException e)
                    {
                        diagnostics.Add(new DecisionDiagnostic(DiagnosticSeverity.Error, $"Allowed values of input '{input.Name}': {e.Message}",
                            null, DecisionPart.InputValues));
                    }
                }
                else
                {
                    diagnostics.Add(new DecisionDiagnostic(DiagnosticSeverity.Error, $"Allowed values of input '{input.Name}': {parsed.Error!.Message}",
                        null, DecisionPart.InputValues, Syntax: parsed.Error));
                }
            }
        }

        var decisionSlots = new int[model.Decisions.Count];
        for (var i = 0; i < model.Decisions.Count; i++)
        {
            var decision = model.Decisions[i];
            if (scope.TryGet(decision.Name, out _))
            {
                diagnostics.Add(new DecisionDiagnostic(DiagnosticSeverity.Error,
                    $"The name '{decision.Name}' is used twice; decisions and input data need unique names.", decision.Name, DecisionPart.Decision));
            }

            decisionSlots[i] = scope.Add(decision.Name, decision switch
            {
                LiteralExpressionDecision literal => literal.TypeRef,
                DecisionTableDefinition { Outputs.Count: 1, HitPolicy: not (HitPolicy.Collect or HitPolicy.RuleOrder or HitPolicy.OutputOrder) } table => table.Outputs[0].TypeRef,
                _ => null,
            });
        }

        scope.Functions = CompileKnowledge(model, diagnostics);

        // Each decision's references decide which decisions run before it and which inputs it needs.
        var references = model.Decisions.Select(d => DecisionReferences.Collect(d, scope.Names)).ToArray();
        var compiled = new CompiledDecision?[model.Decisions.Count];
        for (var i = 0; i < model.Decisions.Count; i++)
        {
            compiled[i] = CompileLogic(model.Decisions[i], scope, diagnostics);
        }

        var slotToDecision = decisionSlots.Select((slot, index) => (slot, index)).ToDictionary(x => x.slot, x => x.index);
        var plans = new int[model.Decisions.Count][];
        var inputs = new int[model.Decisions.Count][];
        for (var i = 0; i < model.Decisions.Count; i++)
        {
            var order = new List<int>();
            var needed = new HashSet<int>();
            if (!Plan(i, [], order, needed, out var cycle))
            {
                diagnostics.Add(new DecisionDiagnostic(DiagnosticSeverity.Error,
                    $"Decisions depend on each other in a cycle: {string.Join(" → ", cycle.Select(c => model.Decisions[c].Name))}.", model.Decisions[i].Name, DecisionPart.Decision));
            }

            plans[i] = [.. order];
            inputs[i] = [.. needed.Order()];
        }

        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return new DecisionCompilation<CompiledDmnModel>(null, diagnostics);
        }

        return new DecisionCompilation<CompiledDmnModel>(
            new CompiledDmnModel(model, scope, [.. compiled.Select(c => c!)], decisionSlots, plans, inputs, allowed, structured), diagnostics);

        bool Plan(int decision, List<int> path, List<int> order, HashSet<int> needed, out List<int> cycle)
        {
            cycle = [];
            if (path.Contains(decision))
            {
                cycle = [.. path.SkipWhile(p => p != decision), decision];
                return false;
            }

            if (order.Contains(decision))
            {
                return true;
            }

            path.Add(decision);
            foreach (var name in references[decision])
            {
                if (!scope.TryGet(name, out var slot))
                {
                    // A component of a filter's item (Employees[dept = 10]), not a variable of the model.
                    continue;
                }

                if (inputSlots.Contains(slot))
                {
                    needed.Add(slot);
                }
                else if (slotToDecision.TryGetValue(slot, out var dependency) && !Plan(dependency, path, order, needed, out cycle))
                {
                    return false;
                }
            }

            path.RemoveAt(path.Count - 1);
            order.Add(decision);
            return true;
        }
    }

    private static CompiledDecision? CompileLogic(DmnDecision decision, SlotScope scope, List<DecisionDiagnostic> diagnostics) => decision switch
    {
        DecisionTableDefinition table => CompiledDecisionTable.Compile(table, scope, [], diagnostics),
        LiteralExpressionDecision literal => CompiledLiteralExpression.Compile(literal, scope, [], diagnostics),
        _ => null,
    };

    /// <summary>
    /// Compiles every business knowledge model into a function. All functions exist before any body compiles, so a
    /// body may call any knowledge model of the model, itself included; each call evaluates in a value array of its own.
    /// </summary>
    private static Dictionary<string, KnowledgeFunction> CompileKnowledge(DmnModel model, List<DecisionDiagnostic> diagnostics)
    {
        var functions = new Dictionary<string, KnowledgeFunction>(StringComparer.Ordinal);
        foreach (var knowledge in model.KnowledgeModels)
        {
            if (functions.ContainsKey(knowledge.Name) || model.FindDecision(knowledge.Name) is not null || model.InputData.Any(i => i.Name == knowledge.Name))
            {
                diagnostics.Add(new DecisionDiagnostic(DiagnosticSeverity.Error,
                    $"The name '{knowledge.Name}' is used twice; knowledge models, decisions and input data need unique names.", knowledge.Name, DecisionPart.Decision));
                continue;
            }

            functions[knowledge.Name] = new KnowledgeFunction(knowledge.Name, [.. knowledge.Parameters.Select(p => p.Name)],
                [.. knowledge.Parameters.Select(p => p.TypeRef)]);
        }

        foreach (var knowledge in model.KnowledgeModels)
        {
            if (!functions.TryGetValue(knowledge.Name, out var function) || function.Body is not null)
            {
                continue;
            }

            var scope = new SlotScope { Functions = functions };
            foreach (var parameter in knowledge.Parameters)
            {
                if (scope.TryGet(parameter.Name, out _))
                {
                    diagnostics.Add(new DecisionDiagnostic(DiagnosticSeverity.Error,
                        $"Knowledge model '{knowledge.Name}' has two parameters named '{parameter.Name}'.", knowledge.Name, DecisionPart.Decision));
                }

                scope.Add(parameter.Name, parameter.TypeRef);
            }

            var body = CompileLogic(knowledge.Body with { Name = knowledge.Name }, scope, diagnostics);
            if (body is null)
            {
                continue;
            }

            var count = knowledge.Parameters.Count;
            function.Body = arguments =>
            {
                var slots = new FeelValue[scope.SlotCount];
                Array.Copy(arguments, slots, Math.Min(count, arguments.Length));
                var result = body.EvaluateSlots(slots, false);
                return result.IsSuccess ? FeelValue.FromClr(result.Value) : FeelValue.Null;
            };
        }

        return functions;
    }

    /// <summary>Evaluates one decision (and the decisions it uses) with input data keyed by name.</summary>
    public DecisionResult Evaluate(string decisionName, IReadOnlyDictionary<string, object?> inputs, bool includeTrace = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!_decisionIndex.TryGetValue(decisionName, out var index))
        {
            return DecisionResult.Failure(decisionName, DecisionErrorKind.DecisionFailed,
                $"The model has no decision named '{decisionName}'; it has {string.Join(", ", _decisions.Select(d => $"'{d.Name}'"))}.");
        }

        // One value array per thread, reused and cleared: an evaluation calls no user code and knowledge models
        // evaluate in arrays of their own, so it cannot re-enter.
        var size = _scope.SlotCount;
        var slots = t_slots is { } cached && cached.Length >= size ? cached : t_slots = new FeelValue[Math.Max(size, 32)];
        Array.Clear(slots, 0, size);
        FeelBudget.Reset();
        if (Bind(_inputs[index], inputs, slots) is { } failure)
        {
            return failure with { DecisionName = decisionName };
        }

        DecisionResult? last = null;
        List<DecisionResult>? intermediates = includeTrace ? [] : null;
        foreach (var step in _plans[index])
        {
            last = Run(step, slots, includeTrace);
            if (!last.IsSuccess)
            {
                return step == index ? last : DecisionResult.Failure(decisionName, DecisionErrorKind.DecisionFailed,
                    $"Required decision '{_decisions[step].Name}' failed: {last.Error!.Message}", last.Error.RuleIds, last.Error.InputName);
            }

            if (step != index)
            {
                intermediates?.Add(last);
            }
        }

        if (FeelBudget.Exceeded is { } exceeded)
        {
            return DecisionResult.Failure(decisionName, DecisionErrorKind.InvalidOutput, exceeded);
        }

        return intermediates is { Count: > 0 } ? last! with { Intermediates = [.. intermediates] } : last!;
    }

    /// <summary>Evaluates every decision of the model once, keyed by decision name.</summary>
    public IReadOnlyDictionary<string, DecisionResult> EvaluateAll(IReadOnlyDictionary<string, object?> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var results = new Dictionary<string, DecisionResult>(StringComparer.Ordinal);
        foreach (var decision in _decisions)
        {
            results[decision.Name] = Evaluate(decision.Name, inputs);
        }

        return results;
    }

    /// <summary>The input data names a decision needs, directly or through the decisions it uses.</summary>
    public IReadOnlyList<string> InputNamesOf(string decisionName) =>
        _decisionIndex.TryGetValue(decisionName, out var index) ? [.. _inputs[index].Select(s => _scope.Variables[s].Name)] : [];

    private DecisionResult? Bind(int[] slotsToBind, IReadOnlyDictionary<string, object?> inputs, FeelValue[] slots)
    {
        foreach (var slot in slotsToBind)
        {
            var (name, type) = _scope.Variables[slot];
            inputs.TryGetValue(name, out var raw);
            string? at = null;
            var problem = _structured.TryGetValue(slot, out var typeName)
                ? ItemTypes.TryCoerce(raw, typeName, Model, name, out slots[slot], out at)
                : FeelCoercion.TryCoerce(raw, type, out slots[slot]);
            if (problem is not null)
            {
                // Item-type problems name the path inside the input themselves: "Lead.address.country must be a string".
                var message = typeName is null ? $"Input '{name}' {problem}." : $"Input {problem}.";
                var failure = DecisionResult.Failure("", DecisionErrorKind.InvalidInput, message, inputName: name);
                return failure with { Error = failure.Error! with { InputPath = at ?? name } };
            }

            if (_allowed.TryGetValue(slot, out var allowed) && !slots[slot].IsNull && allowed.Test(slots[slot], slots) != Tri.True)
            {
                return DecisionResult.Failure("", DecisionErrorKind.InvalidInput,
                    $"Input '{name}' is {slots[slot]}, which is not one of its allowed values {allowed.Text}.", inputName: name);
            }
        }

        return null;
    }

    private DecisionResult Run(int decision, FeelValue[] slots, bool trace)
    {
        var result = _decisions[decision].EvaluateSlots(slots, trace);
        if (result.IsSuccess)
        {
            slots[_decisionSlots[decision]] = FeelValue.FromClr(result.Value);
        }

        return result;
    }
}

/// <summary>Finds the variable names a decision refers to, for dependency order and DMN information requirements.</summary>
public static class DecisionReferences
{
    public static IReadOnlySet<string> Collect(DmnDecision decision, FeelNames names)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var found = new HashSet<string>(StringComparer.Ordinal);
        void Expression(string? text)
        {
            if (!string.IsNullOrWhiteSpace(text) && FeelParser.ParseExpression(text, names).Value is { } parsed)
            {
                FeelCompiler.CollectNames(parsed, found);
            }
        }

        void Tests(string? text)
        {
            if (!string.IsNullOrWhiteSpace(text) && FeelParser.ParseUnaryTests(text, names).Value is { } parsed)
            {
                FeelCompiler.CollectNames(parsed, found);
            }
        }

        foreach (var (text, isTests) in DecisionTexts.Of(decision))
        {
            if (isTests)
            {
                Tests(text);
            }
            else
            {
                Expression(text);
            }
        }

        found.Remove(decision.Name);
        return found;
    }
}
