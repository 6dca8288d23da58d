namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// A decision table compiled once into closures. Evaluation fills a value array (one slot per variable, coerced once),
/// finds matching rules by AND-ing one precomputed rule set per input column, and shares the results of rules whose
/// outputs are constants, so a typical evaluation allocates nothing.
/// Thread-safe: evaluations share nothing mutable across threads.
/// </summary>
public sealed partial class CompiledDecisionTable : CompiledDecision
{
    private const int StackLimit = 512;

    private readonly HitPolicy _policy;
    private readonly CollectAggregator _aggregator;
    private readonly Column[] _columns;
    private readonly Column[] _activeColumns;
    private readonly FeelTest[] _tests;
    private readonly int[] _testSlot;
    private readonly int[] _cellMatrix;
    private readonly string[] _ruleIds;
    private readonly OutputCell[] _outputs;
    private readonly OutputCell[]? _defaults;
    private readonly string[] _outputKeys;
    private readonly FeelValue[]?[] _priorities;
    private readonly int _outputCount;
    private readonly int _ruleCount;
    private readonly int _words;
    private readonly ulong[] _allRules;
    private readonly ColumnMask[] _masks;
    private readonly DecisionResult?[] _ruleResults;
    private readonly DecisionResult? _noMatchResult;

    private CompiledDecisionTable(DecisionTableDefinition definition, Builder b)
        : base(definition.Name, b.Scope, b.Bindings)
    {
        Definition = definition;
        _policy = definition.HitPolicy;
        _aggregator = definition.HitPolicy == HitPolicy.Collect ? definition.Aggregator : CollectAggregator.None;
        _columns = [.. b.Columns];
        _activeColumns = [.. _columns.Where(c => c.Compute is not null || c.CoerceTo is not null || c.Allowed is not null)];
        _tests = [.. b.Tests];
        _testSlot = [.. b.TestSlots];
        _cellMatrix = [.. b.CellMatrix];
        _ruleIds = [.. definition.Rules.Select((r, i) => string.IsNullOrEmpty(r.Id) ? $"rule {i + 1}" : r.Id)];
        _outputs = [.. b.Outputs];
        _defaults = b.Defaults;
        _outputKeys = [.. b.OutputKeys];
        _priorities = [.. b.Priorities];
        _outputCount = definition.Outputs.Count;
        _ruleCount = definition.Rules.Count;
        _words = Math.Max(1, (_ruleCount + 63) / 64);
        _allRules = new ulong[_words];
        for (var r = 0; r < _ruleCount; r++)
        {
            _allRules[r / 64] |= 1UL << (r % 64);
        }

        _masks = BuildMasks(b);

        // Results of rules with constant outputs never change, so they are built once and shared.
        _ruleResults = new DecisionResult?[_ruleCount];
        for (var r = 0; r < _ruleCount; r++)
        {
            var constant = true;
            for (var o = 0; o < _outputCount; o++)
            {
                constant &= _outputs[(r * _outputCount) + o].Evaluate is null;
            }

            if (constant && _outputCount > 0)
            {
                _ruleResults[r] = Success(Row(_outputs, r * _outputCount, []), [r]);
            }
        }

        if (_defaults is null || _defaults.All(d => d.Evaluate is null))
        {
            _noMatchResult = NoMatch([]);
        }

        _constantOutputs = _noMatchResult is not null && _outputs.All(o => o.Evaluate is null);
        _direct = PlanDirectInputs();
        _directAllSeen = _direct is null ? 0 : _direct.Length == 64 ? ulong.MaxValue : (1UL << _direct.Length) - 1;
    }

    private ColumnMask[] BuildMasks(Builder b)
    {
        var masks = new List<ColumnMask>();
        var columns = _columns.Length;
        for (var c = 0; c < columns; c++)
        {
            var tests = Enumerable.Range(0, _tests.Length).Where(t => b.TestColumns[t] == c).ToArray();
            if (tests.Length == 0)
            {
                continue;
            }

            var anyMask = new ulong[_words];
            var testMasks = new ulong[tests.Length * _words];
            for (var r = 0; r < _ruleCount; r++)
            {
                var test = _cellMatrix[(r * columns) + c];
                var index = Array.IndexOf(tests, test);
                if (index < 0)
                {
                    anyMask[r / 64] |= 1UL << (r % 64);
                }
                else
                {
                    testMasks[(index * _words) + (r / 64)] |= 1UL << (r % 64);
                }
            }

            masks.Add(ColumnMask.Create(_columns[c].Slot, _words, anyMask,
                [.. tests.Select(t => b.TestTrees[t])], [.. tests.Select(t => _tests[t])], testMasks));
        }

        return [.. masks];
    }

    public DecisionTableDefinition Definition { get; }

    /// <summary>Compiles a stand-alone table: its inputs are the names in its input expressions.</summary>
    public static DecisionCompilation<CompiledDecisionTable> Compile(DecisionTableDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var scope = new SlotScope();
        var bindings = new List<int>();
        foreach (var input in definition.Inputs)
        {
            if (FeelNames.IsPlainName(input.Expression))
            {
                var slot = scope.Add(input.Expression.Trim(), input.TypeRef);
                if (!bindings.Contains(slot))
                {
                    bindings.Add(slot);
                }
            }
        }

        // Names used inside computed input expressions (e.g. "Monthly Income * 12") are inputs too, untyped.
        foreach (var input in definition.Inputs)
        {
            if (!FeelNames.IsPlainName(input.Expression) && FeelParser.ParseExpression(input.Expression, FeelNames.Lenient).Value is { } parsed)
            {
                var names = new List<string>();
                FeelCompiler.CollectNames(parsed, names);
                foreach (var name in names.Where(n => !scope.TryGet(n, out _)))
                {
                    bindings.Add(scope.Add(name, null));
                }
            }
        }

        var diagnostics = new List<DecisionDiagnostic>();
        var table = Compile(definition, scope, bindings, diagnostics);
        return new DecisionCompilation<CompiledDecisionTable>(table, diagnostics);
    }

    internal static CompiledDecisionTable Compile(DecisionTableDefinition definition, SlotScope scope, IReadOnlyList<int> bindings, List<DecisionDiagnostic> diagnostics)
    {
        var b = new Builder(definition, scope, bindings, diagnostics);
        b.Build();
        return new CompiledDecisionTable(definition, b);
    }

    internal override DecisionResult EvaluateSlots(FeelValue[] slots, bool trace)
    {
        foreach (var column in _activeColumns)
        {
            if (column.Compute is not null)
            {
                slots[column.Slot] = column.Compute(slots);
            }

            if (column.CoerceTo is not null)
            {
                var problem = FeelCoercion.TryCoerce(slots[column.Slot], column.CoerceTo, out var coerced);
                if (problem is not null)
                {
                    return DecisionResult.Failure(Name, DecisionErrorKind.InvalidInput, $"Input '{column.Name}' {problem}.", inputName: column.Name);
                }

                slots[column.Slot] = coerced;
            }

            if (column.Allowed is not null && !slots[column.Slot].IsNull && column.Allowed(slots[column.Slot], slots) != Tri.True)
            {
                return DecisionResult.Failure(Name, DecisionErrorKind.InvalidInput,
                    $"Input '{column.Name}' is {slots[column.Slot]}, which is not one of its allowed values {column.AllowedText}.", inputName: column.Name);
            }
        }

        Span<int> matched = _ruleCount <= StackLimit ? stackalloc int[_ruleCount] : new int[_ruleCount];
        var count = 0;
        RuleTrace[]? traces = null;
        if (trace)
        {
            Span<byte> cache = _tests.Length <= StackLimit ? stackalloc byte[_tests.Length] : new byte[_tests.Length];
            traces = new RuleTrace[_ruleCount];
            var columns = _columns.Length;
            for (var r = 0; r < _ruleCount; r++)
            {
                var cells = new bool[columns];
                var all = true;
                for (var c = 0; c < columns; c++)
                {
                    var test = _cellMatrix[(r * columns) + c];
                    cells[c] = test < 0 || Test(test, cache, slots);
                    all &= cells[c];
                }

                traces[r] = new RuleTrace(r, _ruleIds[r], all, new EquatableArray<bool>(cells, take: true));
                if (all)
                {
                    matched[count++] = r;
                }
            }
        }
        else
        {
            count = MatchRules(slots, matched);
        }

        var result = ApplyHitPolicy(matched[..count], slots);
        if (trace)
        {
            var inputs = new object?[_columns.Length];
            for (var c = 0; c < inputs.Length; c++)
            {
                inputs[c] = slots[_columns[c].Slot].ToClr();
            }

            result = result with { Trace = new EquatableArray<RuleTrace>(traces!, take: true), InputValues = new EquatableArray<object?>(inputs, take: true) };
        }

        return result;
    }

    /// <summary>ANDs the columns' rule sets; FIRST only needs the lowest set bit.</summary>
    private int MatchRules(FeelValue[] slots, Span<int> matched)
    {
        var words = _words;
        Span<ulong> rules = words <= 16 ? stackalloc ulong[words] : new ulong[words];
        Span<ulong> scratch = words <= 16 ? stackalloc ulong[words] : new ulong[words];
        _allRules.CopyTo(rules);
        foreach (var column in _masks)
        {
            var mask = column.Compute(slots[column.Slot], slots, scratch);
            var any = 0UL;
            for (var w = 0; w < words; w++)
            {
                any |= rules[w] &= mask[w];
            }

            if (any == 0)
            {
                return 0;
            }
        }

        var count = 0;
        for (var w = 0; w < words; w++)
        {
            var bits = rules[w];
            while (bits != 0)
            {
                matched[count++] = (w * 64) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                if (_policy == HitPolicy.First)
                {
                    return 1;
                }

                bits &= bits - 1;
            }
        }

        return count;
    }

    private bool Test(int test, Span<byte> cache, FeelValue[] slots)
    {
        var state = cache[test];
        if (state == 0)
        {
            state = _tests[test](slots[_testSlot[test]], slots) == Tri.True ? (byte)1 : (byte)2;
            cache[test] = state;
        }

        return state == 1;
    }

    private DecisionResult ApplyHitPolicy(ReadOnlySpan<int> matched, FeelValue[] slots)
    {
        if (matched.Length == 0)
        {
            return _noMatchResult ?? NoMatch(slots);
        }

        switch (_policy)
        {
            case HitPolicy.Unique when matched.Length > 1:
                return DecisionResult.Failure(Name, DecisionErrorKind.HitPolicyViolation,
                    $"UNIQUE hit policy violated: {matched.Length} rules match ({DescribeRules(matched)}); exactly one may match.", Ids(matched));
            case HitPolicy.Unique or HitPolicy.First:
                return Single(matched[0], matched[..1], slots);
            case HitPolicy.Any:
                for (var i = 1; i < matched.Length; i++)
                {
                    for (var o = 0; o < _outputCount; o++)
                    {
                        var (first, other) = (OutputValue(matched[0], o, slots), OutputValue(matched[i], o, slots));
                        if (FeelOps.Equal(first, other) != Tri.True)
                        {
                            return DecisionResult.Failure(Name, DecisionErrorKind.HitPolicyViolation,
                                $"ANY hit policy violated: rules {DescribeRules(matched)} match but give different outputs " +
                                $"({_ruleIds[matched[0]]} gives {first}, {_ruleIds[matched[i]]} gives {other}{OutputSuffix(o)}).", Ids(matched));
                        }
                    }
                }

                return Single(matched[0], matched, slots);
            case HitPolicy.Priority:
            {
                var best = matched[0];
                for (var i = 1; i < matched.Length; i++)
                {
                    if (ComparePriority(matched[i], best, slots) < 0)
                    {
                        best = matched[i];
                    }
                }

                return Single(best, [best], slots);
            }

            case HitPolicy.Collect when _aggregator != CollectAggregator.None:
                return Aggregate(matched, slots);
            default:
            {
                var order = _policy == HitPolicy.OutputOrder ? SortByOutputOrder(matched, slots) : matched.ToArray();

                var list = new object?[order.Length];
                for (var i = 0; i < order.Length; i++)
                {
                    list[i] = Row(_outputs, order[i] * _outputCount, slots);
                }

                return Success(list, order);
            }
        }
    }

    // Kept out of ApplyHitPolicy: a lambda there would allocate its closure on every evaluation.
    private int[] SortByOutputOrder(ReadOnlySpan<int> matched, FeelValue[] slots)
    {
        // Stable: rules with equal priority keep rule order.
        return [.. matched.ToArray().Select((rule, index) => (rule, index))
            .OrderBy(x => x, Comparer<(int Rule, int Index)>.Create((a, b) =>
            {
                var byPriority = ComparePriority(a.Rule, b.Rule, slots);
                return byPriority != 0 ? byPriority : a.Index.CompareTo(b.Index);
            }))
            .Select(x => x.rule)];
    }

    private string OutputSuffix(int output) => _outputCount > 1 ? $" for output '{_outputKeys[output]}'" : "";

    private DecisionResult Single(int rule, ReadOnlySpan<int> matched, FeelValue[] slots) =>
        matched.Length == 1 && _ruleResults[rule] is { } cached ? cached : Success(Row(_outputs, rule * _outputCount, slots), matched);

    private DecisionResult Success(object? value, ReadOnlySpan<int> matched) => new()
    {
        DecisionName = Name,
        Value = value,
        MatchedRuleIds = Ids(matched),
        MatchedRuleIndexes = new EquatableArray<int>(matched.ToArray(), take: true),
    };

    private DecisionResult NoMatch(FeelValue[] slots)
    {
        if (_defaults is not null)
        {
            return new DecisionResult { DecisionName = Name, Value = Row(_defaults, 0, slots), UsedDefaultOutput = true };
        }

        object? value = (_policy, _aggregator) switch
        {
            (HitPolicy.Collect, CollectAggregator.Count) => 0m,
            (HitPolicy.Collect, CollectAggregator.None) or (HitPolicy.RuleOrder or HitPolicy.OutputOrder, _) => Array.Empty<object?>(),
            _ => null,
        };
        return new DecisionResult { DecisionName = Name, Value = value };
    }

    private DecisionResult Aggregate(ReadOnlySpan<int> matched, FeelValue[] slots)
    {
        if (_aggregator == CollectAggregator.Count)
        {
            return Success((decimal)matched.Length, matched);
        }

        var result = FeelValue.Null;
        for (var i = 0; i < matched.Length; i++)
        {
            var value = OutputValue(matched[i], 0, slots);
            if (value.IsNull)
            {
                continue;
            }

            if (_aggregator == CollectAggregator.Sum)
            {
                if (value.Kind != FeelKind.Number)
                {
                    return DecisionResult.Failure(Name, DecisionErrorKind.InvalidOutput,
                        $"COLLECT SUM needs numbers, but rule {_ruleIds[matched[i]]} gives {value}.", Ids(matched));
                }

                result = result.IsNull ? value : FeelOps.Binary(FeelBinaryOperator.Add, result, value);
                continue;
            }

            if (result.IsNull)
            {
                result = value;
                continue;
            }

            if (FeelOps.Compare(value, result) is not { } order)
            {
                return DecisionResult.Failure(Name, DecisionErrorKind.InvalidOutput,
                    $"COLLECT {DmnText.AggregatorName(_aggregator)} cannot compare {result} with {value} (rule {_ruleIds[matched[i]]}).", Ids(matched));
            }

            if (_aggregator == CollectAggregator.Min ? order < 0 : order > 0)
            {
                result = value;
            }
        }

        return Success(result.ToClr(), matched);
    }

    private int ComparePriority(int a, int b, FeelValue[] slots)
    {
        for (var o = 0; o < _outputCount; o++)
        {
            if (_priorities[o] is not { } list)
            {
                continue;
            }

            var byOutput = PriorityIndex(list, OutputValue(a, o, slots)).CompareTo(PriorityIndex(list, OutputValue(b, o, slots)));
            if (byOutput != 0)
            {
                return byOutput;
            }
        }

        return 0;
    }

    private static int PriorityIndex(FeelValue[] list, in FeelValue value)
    {
        for (var i = 0; i < list.Length; i++)
        {
            if (FeelOps.Equal(list[i], value) == Tri.True)
            {
                return i;
            }
        }

        return list.Length;
    }

    private FeelValue OutputValue(int rule, int output, FeelValue[] slots)
    {
        ref readonly var cell = ref _outputs[(rule * _outputCount) + output];
        return cell.Evaluate is null ? cell.Constant : cell.Evaluate(slots);
    }

    private object? Row(OutputCell[] cells, int offset, FeelValue[] slots)
    {
        if (_outputCount == 1)
        {
            return cells[offset].ToClr(slots);
        }

        var row = new Dictionary<string, object?>(_outputCount, StringComparer.Ordinal);
        for (var o = 0; o < _outputCount; o++)
        {
            row[_outputKeys[o]] = cells[offset + o].ToClr(slots);
        }

        return new System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>(row);
    }

    private EquatableArray<string> Ids(ReadOnlySpan<int> rules)
    {
        var ids = new string[rules.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = _ruleIds[rules[i]];
        }

        return new EquatableArray<string>(ids, take: true);
    }

    private string DescribeRules(ReadOnlySpan<int> rules)
    {
        var parts = new string[rules.Length];
        for (var i = 0; i < rules.Length; i++)
        {
            var id = _ruleIds[rules[i]];
            parts[i] = id == $"rule {rules[i] + 1}" ? id : $"rule {rules[i] + 1} '{id}'";
        }

        return string.Join(", ", parts);
    }

    private sealed record Column(string Name, int Slot, FeelEvaluator? Compute, FeelType? CoerceTo, FeelTest? Allowed, string? AllowedText);

    internal readonly struct OutputCell(FeelValue constant, FeelEvaluator? evaluate)
    {
        public readonly FeelValue Constant = constant;
        public readonly FeelEvaluator? Evaluate = evaluate;

        // Boxed once at compile time, so constant outputs cost no allocation per evaluation.
        private readonly object? _boxed = constant.ToClr();

        public object? ToClr(FeelValue[] slots) => Evaluate is null ? _boxed : Evaluate(slots).ToClr();
    }

    private sealed class Builder(DecisionTableDefinition definition, SlotScope scope, IReadOnlyList<int> bindings, List<DecisionDiagnostic> diagnostics)
    {
        private readonly Dictionary<(int Column, string Text), int> _testIndex = [];

        public SlotScope Scope => scope;

        public IReadOnlyList<int> Bindings => bindings;

        public List<Column> Columns { get; } = [];

        public List<FeelTest> Tests { get; } = [];

        public List<int> TestSlots { get; } = [];

        public List<int> TestColumns { get; } = [];

        public List<UnaryTest> TestTrees { get; } = [];

        public List<int> CellMatrix { get; } = [];

        public List<OutputCell> Outputs { get; } = [];

        public OutputCell[]? Defaults { get; private set; }

        public List<string> OutputKeys { get; } = [];

        public List<FeelValue[]?> Priorities { get; } = [];

        private string Decision => definition.Name;

        private void Error(string message, DecisionPart part, int? rule = null, int? column = null, FeelSyntaxError? syntax = null) =>
            diagnostics.Add(new DecisionDiagnostic(DiagnosticSeverity.Error, message, Decision, part, rule,
                rule is { } r ? definition.Rules[r].Id : null, column, syntax));

        private void Warning(string message, DecisionPart part, int? rule = null, int? column = null) =>
            diagnostics.Add(new DecisionDiagnostic(DiagnosticSeverity.Warning, message, Decision, part, rule,
                rule is { } r ? definition.Rules[r].Id : null, column));

        private FeelEnv? _env;

        private FeelEnv Env => _env ??= FeelEnv.For(scope);

        private FeelEvaluator? TryCompile(FeelExpression expression, string? text, DecisionPart part, int? rule, int? column)
        {
            try
            {
                return FeelCompiler.Compile(expression, Env);
            }
            catch (FeelCompileException e)
            {
                // Positioned like a syntax error, so the editor marks the call in the cell.
                Error(e.Message, part, rule, column, FeelParser.ToError(text ?? "", e.Message, e.Span.Start, e.Span.Length));
                return null;
            }
        }

        private FeelTest? TryCompileTest(UnaryTest test, string? text, DecisionPart part, int? rule, int? column)
        {
            try
            {
                return FeelCompiler.CompileTest(test, Env);
            }
            catch (FeelCompileException e)
            {
                Error(e.Message, part, rule, column, FeelParser.ToError(text ?? "", e.Message, e.Span.Start, e.Span.Length));
                return null;
            }
        }

        public void Build()
        {
            BuildColumns();
            BuildOutputs();
            BuildRules();
            CheckHitPolicy();
        }

        private void BuildColumns()
        {
            for (var i = 0; i < definition.Inputs.Count; i++)
            {
                var input = definition.Inputs[i];
                var parsed = FeelParser.ParseExpression(input.Expression, scope.Names);
                if (!parsed.Success)
                {
                    Error($"Input expression of '{input.DisplayName}': {parsed.Error!.Message}", DecisionPart.InputExpression, column: i, syntax: parsed.Error);
                    Columns.Add(new Column(input.DisplayName, scope.Reserve(), null, null, null, null));
                    continue;
                }

                Column column;
                if (parsed.Value is FeelName name && scope.TryGet(name.Name, out var slot))
                {
                    column = input.TypeRef is null || input.TypeRef == scope.TypeOf(slot)
                        ? new Column(input.DisplayName, slot, null, null, null, null)
                        : new Column(input.DisplayName, scope.Reserve(), s => s[slot], input.TypeRef, null, null);
                }
                else
                {
                    column = new Column(input.DisplayName, scope.Reserve(), TryCompile(parsed.Value!, input.Expression, DecisionPart.InputExpression, null, i), input.TypeRef, null, null);
                }

                if (!string.IsNullOrWhiteSpace(input.AllowedValues))
                {
                    var allowed = FeelParser.ParseUnaryTests(input.AllowedValues, scope.Names);
                    if (allowed.Success)
                    {
                        column = column with { Allowed = TryCompileTest(allowed.Value!, input.AllowedValues, DecisionPart.InputValues, null, i), AllowedText = input.AllowedValues.Trim() };
                    }
                    else
                    {
                        Error($"Allowed values of '{input.DisplayName}': {allowed.Error!.Message}", DecisionPart.InputValues, column: i, syntax: allowed.Error);
                    }
                }

                Columns.Add(column);
            }
        }

        private void BuildOutputs()
        {
            var outputs = definition.Outputs;
            if (outputs.Count == 0)
            {
                Error("A decision table needs at least one output.", DecisionPart.Decision);
            }

            var keys = new HashSet<string>(StringComparer.Ordinal);
            for (var o = 0; o < outputs.Count; o++)
            {
                var output = outputs[o];
                var key = output.DisplayName;
                if (outputs.Count > 1)
                {
                    if (string.IsNullOrWhiteSpace(key))
                    {
                        Error($"Output {o + 1} needs a name because the table has several outputs.", DecisionPart.Output, column: o);
                        key = $"output{o + 1}";
                    }
                    else if (!keys.Add(key))
                    {
                        Error($"Two outputs are named '{key}'; output names must be unique.", DecisionPart.Output, column: o);
                    }
                }

                OutputKeys.Add(string.IsNullOrWhiteSpace(key) ? definition.Name : key);
                Priorities.Add(ParseOutputValues(output, o));
            }

            if (outputs.Any(o => !string.IsNullOrWhiteSpace(o.DefaultOutputEntry)))
            {
                Defaults = new OutputCell[outputs.Count];
                for (var o = 0; o < outputs.Count; o++)
                {
                    var text = outputs[o].DefaultOutputEntry;
                    Defaults[o] = string.IsNullOrWhiteSpace(text)
                        ? new OutputCell(FeelValue.Null, null)
                        : CompileOutput(text, DecisionPart.DefaultOutputEntry, null, o);
                }
            }
        }

        private FeelValue[]? ParseOutputValues(DecisionOutput output, int o)
        {
            if (output.OutputValues.IsEmpty)
            {
                return null;
            }

            var values = new List<FeelValue>();
            foreach (var text in output.OutputValues)
            {
                var parsed = FeelParser.ParseExpression(text, scope.Names);
                if (!parsed.Success)
                {
                    Error($"Output value {text} of '{output.DisplayName}': {parsed.Error!.Message}", DecisionPart.OutputValues, column: o, syntax: parsed.Error);
                }
                else if (FeelCompiler.TryConstant(parsed.Value!, out var value))
                {
                    values.Add(value);
                }
                else
                {
                    Error($"Output value {text} of '{output.DisplayName}' must be a literal such as \"Approved\" or 10.", DecisionPart.OutputValues, column: o);
                }
            }

            return [.. values];
        }

        private OutputCell CompileOutput(string? text, DecisionPart part, int? rule, int o)
        {
            var output = definition.Outputs[o];
            var parsed = FeelParser.ParseExpression(text, scope.Names);
            if (!parsed.Success)
            {
                Error(parsed.Error!.Message, part, rule, o, parsed.Error);
                return new OutputCell(FeelValue.Null, null);
            }

            if (!FeelCompiler.TryConstant(parsed.Value!, out var constant))
            {
                return new OutputCell(FeelValue.Null, TryCompile(parsed.Value!, text, part, rule, o));
            }

            if (!constant.IsNull && output.TypeRef is { } type && !FeelCoercion.Matches(constant.Kind, type))
            {
                Warning($"{constant} is a {FeelValue.KindName(constant.Kind)} but output '{output.DisplayName}' is typed {DmnText.TypeRefName(type)}.", part, rule, o);
            }

            if (Priorities[o] is { Length: > 0 } allowed && !constant.IsNull && !allowed.Any(a => FeelOps.Equal(a, constant) == Tri.True))
            {
                Warning($"{constant} is not one of the output values of '{output.DisplayName}' ({string.Join(", ", output.OutputValues)}).", part, rule, o);
            }

            return new OutputCell(constant, null);
        }

        private void BuildRules()
        {
            var inputs = definition.Inputs.Count;
            var outputs = definition.Outputs.Count;
            for (var r = 0; r < definition.Rules.Count; r++)
            {
                var rule = definition.Rules[r];
                if (rule.InputEntries.Count != inputs)
                {
                    Error($"The rule has {rule.InputEntries.Count} input entries but the table has {inputs} inputs.", DecisionPart.InputEntry, r);
                }

                if (rule.OutputEntries.Count != outputs)
                {
                    Error($"The rule has {rule.OutputEntries.Count} output entries but the table has {outputs} outputs.", DecisionPart.OutputEntry, r);
                }

                for (var i = 0; i < inputs; i++)
                {
                    var test = i < rule.InputEntries.Count ? CellTest(rule.InputEntries[i], r, i) : -1;
                    CellMatrix.Add(test);
                }

                for (var o = 0; o < outputs; o++)
                {
                    Outputs.Add(o < rule.OutputEntries.Count
                        ? CompileOutput(rule.OutputEntries[o], DecisionPart.OutputEntry, r, o)
                        : new OutputCell(FeelValue.Null, null));
                }
            }
        }

        private int CellTest(string? text, int rule, int column)
        {
            var key = (column, (text ?? "").Trim());
            if (_testIndex.TryGetValue(key, out var existing))
            {
                return existing;
            }

            var parsed = FeelParser.ParseUnaryTests(text, scope.Names);
            if (!parsed.Success)
            {
                Error(parsed.Error!.Message, DecisionPart.InputEntry, rule, column, parsed.Error);
                return -1;
            }

            if (parsed.Value is AnyTest)
            {
                _testIndex[key] = -1;
                return -1;
            }

            if (TryCompileTest(parsed.Value!, text, DecisionPart.InputEntry, rule, column) is not { } compiled)
            {
                return -1;
            }

            Tests.Add(compiled);
            TestSlots.Add(Columns[column].Slot);
            TestColumns.Add(column);
            TestTrees.Add(parsed.Value!);
            _testIndex[key] = Tests.Count - 1;
            return Tests.Count - 1;
        }

        private void CheckHitPolicy()
        {
            var policy = definition.HitPolicy;
            if (policy is HitPolicy.Priority or HitPolicy.OutputOrder && Priorities.All(p => p is null))
            {
                Error($"{DmnText.HitPolicyName(policy)} ranks results by the outputs' output values, but no output lists any.", DecisionPart.Decision);
            }

            if (definition.Aggregator != CollectAggregator.None)
            {
                if (policy != HitPolicy.Collect)
                {
                    Warning($"The {DmnText.AggregatorName(definition.Aggregator)} aggregator only applies to COLLECT and is ignored.", DecisionPart.Decision);
                }
                else if (definition.Outputs.Count > 1)
                {
                    Error($"COLLECT {DmnText.AggregatorName(definition.Aggregator)} needs a single output; this table has {definition.Outputs.Count}.", DecisionPart.Decision);
                }
            }
        }
    }
}
