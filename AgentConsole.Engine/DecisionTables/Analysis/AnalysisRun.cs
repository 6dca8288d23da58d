namespace AgentConsole.Engine.DecisionTables.Analysis;

/// <summary>One analysis of one table: parses every cell once, builds the cell sets, then runs each check.</summary>
internal sealed partial class AnalysisRun(DecisionTableDefinition table, TableAnalysisOptions options)
{
    private readonly int _ruleCount = table.Rules.Count;
    private readonly int _inputCount = table.Inputs.Count;
    private readonly int _outputCount = table.Outputs.Count;
    private Column[] _columns = [];
    private Variable[] _variables = [];
    private UnaryTest?[][] _entries = [];
    private TestSets[][] _cellSets = [];

    // Per rule and variable: the values for which the rule's cells are surely true / possibly true, within the domain.
    private ValueSet[][] _under = [];
    private ValueSet[][] _over = [];
    private bool[] _neverMatches = [];
    private List<(int Column, string Reason)>[] _unknown = [];
    private OutputCell[][] _outputs = [];
    private object?[]?[] _outputValues = [];
    private AtomGrid? _grid;
    private bool _searchExhausted;

    public List<TableFinding> Findings { get; } = [];

    public bool IsPartial { get; private set; }

    public List<PartialCell> PartialCells { get; } = [];

    public long GapCount { get; private set; }

    public long OverlapCount { get; private set; }

    public long SearchSteps { get; private set; }

    public void Execute()
    {
        var names = KnownNames();
        ParseColumns(names);
        ParseEntries(names);
        InferKinds();
        BuildCellSets();
        CheckOutputs(names);
        BuildVariables();
        FindRulesThatNeverMatch();

        _grid = new AtomGrid(
            [.. _variables.Select(v => v.Domain)],
            [.. _variables.Select((_, v) => Enumerable.Range(0, _ruleCount).SelectMany(r => new[] { _under[r][v], _over[r][v] }))]);
        FindGaps();
        FindOverlaps();
        FindMaskedRules();
        ReportPartialRules();
        if (_searchExhausted)
        {
            IsPartial = true;
            Add(FindingKind.Partial, FindingSeverity.Info,
                $"The analysis stopped after {SearchSteps:N0} search steps; gaps or masked rules beyond that point are not reported.");
        }
    }

    private sealed record Column(int Index, DecisionInput Input, string Key, string Name)
    {
        /// <summary>The name or path the expression spells (<c>Lead</c>, <c>employees</c>), when it is one.</summary>
        public (string Root, List<string> Members)? Path { get; init; }

        /// <summary>What the model's types say about the column, when the analysis has the model and it declares the path.</summary>
        public ColumnType? ModelType { get; init; }

        /// <summary>The value is a list: the column has no value domain the analysis can split.</summary>
        public bool IsList => ModelType?.IsCollection == true;

        public UnaryTest? Allowed { get; set; }

        /// <summary>The allowed values' text: the column's own, or else its type's in the model.</summary>
        public string? AllowedText { get; set; }

        public ValueKind Kind { get; set; }

        public bool MixedTypes { get; set; }

        public bool MentionsNull { get; set; }

        /// <summary>Non-null allowed values (or the whole type), plus null when the column is nullable.</summary>
        public ValueSet Domain { get; set; } = ValueSet.Empty(ValueKind.Any);

        public bool AllowedIsExact { get; set; }
    }

    /// <summary>One input value: columns with the same expression test the same value, so they are one variable.</summary>
    private sealed record Variable(int[] Columns, ValueKind Kind, ValueSet Domain, string Name);

    private readonly record struct OutputCell(bool Parsed, bool IsConstant, object? Value, string Text);

    private FeelNames KnownNames()
    {
        // The same names the evaluator binds for a stand-alone table, plus any the caller knows of.
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in table.Inputs)
        {
            if (FeelNames.IsPlainName(input.Expression))
            {
                known.Add(input.Expression.Trim());
            }
            else if (FeelParser.ParseExpression(input.Expression, FeelNames.Lenient).Value is { } parsed)
            {
                FeelCompiler.CollectNames(parsed, known);
            }
        }

        known.UnionWith(Roots());
        return new FeelNames(known);
    }

    private HashSet<string>? _roots;

    /// <summary>Names a path column may start from: the caller's known names and the model's input data and decisions.</summary>
    private HashSet<string> Roots()
    {
        if (_roots is null)
        {
            _roots = new HashSet<string>(options.KnownNames.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()), StringComparer.Ordinal);
            if (options.Model is { } model)
            {
                _roots.UnionWith(model.InputData.Select(i => i.Name));
                _roots.UnionWith(model.Decisions.Select(d => d.Name));
            }
        }

        return _roots;
    }

    private void ParseColumns(FeelNames names)
    {
        _columns = new Column[_inputCount];
        for (var i = 0; i < _inputCount; i++)
        {
            var input = table.Inputs[i];
            var parsed = FeelParser.ParseExpression(input.Expression, names);
            if (!parsed.Success)
            {
                ParseError($"Input expression of '{input.DisplayName}': {parsed.Error!.Message}", parsed.Error,
                    new FindingCell(FindingCellKind.InputExpression, null, null, i, Span(parsed.Error)));
            }

            var path = ColumnTypes.PathOf(parsed.Value, input.Expression, Roots());
            var modelType = path is { } p && options.Model is { } model ? ColumnTypes.Resolve(model, p) : null;

            // Columns reading the same value are one variable, however the path is spaced.
            var key = modelType?.Path ?? (parsed.Value is FeelName name ? name.Name : input.Expression.Trim());
            var column = new Column(i, input, key, input.DisplayName) { Path = path, ModelType = modelType };
            column.AllowedText = !string.IsNullOrWhiteSpace(input.AllowedValues) ? input.AllowedValues.Trim()
                : modelType is { IsCollection: false, AllowedValues: { } typeAllowed } ? typeAllowed.Trim()
                : null;
            if (column.AllowedText is not null)
            {
                var allowed = FeelParser.ParseUnaryTests(column.AllowedText, names);
                if (allowed.Success)
                {
                    column.Allowed = allowed.Value;
                }
                else
                {
                    ParseError($"Allowed values of '{input.DisplayName}'{TypeSource(column)}: {allowed.Error!.Message}", allowed.Error,
                        new FindingCell(FindingCellKind.InputValues, null, null, i, Span(allowed.Error)));
                }
            }

            _columns[i] = column;
        }
    }

    private void ParseEntries(FeelNames names)
    {
        _entries = new UnaryTest?[_ruleCount][];
        _unknown = new List<(int, string)>[_ruleCount];
        for (var r = 0; r < _ruleCount; r++)
        {
            var rule = table.Rules[r];
            _entries[r] = new UnaryTest?[_inputCount];
            _unknown[r] = [];
            if (rule.InputEntries.Count != _inputCount)
            {
                Add(FindingKind.ParseError, FindingSeverity.Error,
                    $"{Capital(RuleLabel(r))} has {rule.InputEntries.Count} input entries but the table has {_inputCount} inputs.", rules: [r]);
            }

            for (var i = 0; i < _inputCount; i++)
            {
                if (i >= rule.InputEntries.Count)
                {
                    _unknown[r].Add((i, "the entry is missing"));
                    continue;
                }

                var parsed = FeelParser.ParseUnaryTests(rule.InputEntries[i], names);
                if (parsed.Success)
                {
                    _entries[r][i] = parsed.Value;
                    continue;
                }

                _unknown[r].Add((i, "the entry does not parse"));
                ParseError($"{Capital(RuleLabel(r))}, input '{_columns[i].Name}': {parsed.Error!.Message}", parsed.Error,
                    new FindingCell(FindingCellKind.InputEntry, r, RuleId(r), i, Span(parsed.Error)), r);
            }
        }
    }

    private void InferKinds()
    {
        foreach (var column in _columns)
        {
            var kinds = new HashSet<ValueKind>();
            var mentionsNull = false;
            void Collect(UnaryTest? test)
            {
                foreach (var expression in Endpoints(test))
                {
                    if (TestSemantics.TryConstant(expression, out var value, out _))
                    {
                        if (value is null)
                        {
                            mentionsNull |= expression is FeelLiteral;
                        }
                        else if (ValueKinds.Of(value) is { } kind)
                        {
                            kinds.Add(kind);
                        }
                    }
                }
            }

            Collect(column.Allowed);
            var allowedKinds = kinds.ToList();
            for (var r = 0; r < _ruleCount; r++)
            {
                Collect(_entries[r][column.Index]);
            }

            column.MentionsNull = mentionsNull;

            // A declared typeRef on the column wins; otherwise the model's type for the path, then the cells.
            var type = column.Input.TypeRef ?? column.ModelType?.Type;
            if (column.IsList)
            {
                column.Kind = ValueKind.Any;
            }
            else if (type is FeelType.Duration)
            {
                // Either kind of duration: the literals say which one the column holds.
                column.Kind = kinds.Contains(ValueKind.YearsMonthsDuration) && !kinds.Contains(ValueKind.DaysTimeDuration)
                    ? ValueKind.YearsMonthsDuration
                    : ValueKind.DaysTimeDuration;
            }
            else if (ValueKinds.FromTypeRef(type) is { } declared)
            {
                column.Kind = declared;
            }
            else if (allowedKinds.Count == 1)
            {
                // Without a typeRef the allowed values settle the type: other literals can never match an allowed value.
                column.Kind = allowedKinds[0];
            }
            else if (kinds.Count <= 1)
            {
                column.Kind = kinds.Count == 0 ? ValueKind.Any : kinds.First();
            }
            else
            {
                column.Kind = ValueKind.Any;
                column.MixedTypes = true;
                IsPartial = true;
                Add(FindingKind.TypeError, FindingSeverity.Warning,
                    $"Input '{column.Name}' has no typeRef and its entries compare with {string.Join(" and ", kinds.Order().Select(ValueKinds.Name))} values; " +
                    "give the column a typeRef. Its entries are not analysed.",
                    cells: [new FindingCell(FindingCellKind.InputExpression, null, null, column.Index)]);
            }
        }
    }

    private static IEnumerable<FeelExpression> Endpoints(UnaryTest? test) => test switch
    {
        ComparisonTest { Value: FeelListLiteral list } => list.Items,
        ComparisonTest c => [c.Value],
        RangeTest r => [r.Start, r.End],
        DisjunctionTest d => d.Tests.SelectMany(Endpoints),
        NegatedTest n => Endpoints(n.Test),
        ExpressionTest e => TestSemantics.Operands(e.Expression).SelectMany(Endpoints),
        _ => [],
    };

    private void BuildCellSets()
    {
        foreach (var column in _columns)
        {
            var nonNull = ValueSet.NonNull(column.Kind);
            var domain = nonNull;
            column.AllowedIsExact = column.Allowed is not null && !column.MixedTypes && !column.IsList;
            if (column.AllowedIsExact)
            {
                var notes = new List<TestNote>();
                var sets = TestSemantics.Build(column.Allowed!, column.Kind, notes);
                foreach (var note in notes.Where(n => n.Kind == TestNoteKind.TypeMismatch))
                {
                    Add(FindingKind.TypeError, FindingSeverity.Error,
                        $"Allowed values of '{column.Name}'{TypeSource(column)}: {note.Message}.",
                        cells: [new FindingCell(FindingCellKind.InputValues, null, null, column.Index, note.Span)]);
                }

                if (!sets.TrueUnder.Intersect(nonNull).Equals(sets.TrueOver.Intersect(nonNull)))
                {
                    // Only the surely allowed values count, so that every reported gap is a real one.
                    column.AllowedIsExact = false;
                    IsPartial = true;
                    var reason = string.Join("; ", notes.Where(n => n.Kind == TestNoteKind.Unknown).Select(n => n.Message));
                    PartialCells.Add(new PartialCell(null, null, column.Index, column.Name, column.AllowedText!, reason));
                    Add(FindingKind.Partial, FindingSeverity.Info,
                        $"The allowed values of '{column.Name}' are analysed only in part ({reason}).",
                        cells: [new FindingCell(FindingCellKind.InputValues, null, null, column.Index)]);
                }

                domain = sets.TrueUnder.Intersect(nonNull);
            }

            column.Domain = column.MentionsNull || options.IncludeNullInputs ? domain.WithNull(true) : domain;
        }

        _cellSets = new TestSets[_ruleCount][];
        for (var r = 0; r < _ruleCount; r++)
        {
            _cellSets[r] = new TestSets[_inputCount];
            for (var i = 0; i < _inputCount; i++)
            {
                var column = _columns[i];
                var entry = _entries[r][i];
                if (entry is null)
                {
                    _cellSets[r][i] = TestSets.Unknown(column.Kind);
                    continue;
                }

                if (column.MixedTypes && entry is not AnyTest)
                {
                    _cellSets[r][i] = TestSets.Unknown(column.Kind);
                    _unknown[r].Add((i, $"input '{column.Name}' mixes value types"));
                    continue;
                }

                if (column.IsList && entry is not AnyTest)
                {
                    _cellSets[r][i] = TestSets.Unknown(column.Kind);
                    _unknown[r].Add((i, $"'{column.Key}' is a list ({column.ModelType!.TypeName ?? "a collection"}), and the analysis splits only single values into value sets"));
                    continue;
                }

                var notes = new List<TestNote>();
                _cellSets[r][i] = TestSemantics.Build(entry, column.Kind, notes);
                foreach (var note in notes)
                {
                    var cell = new FindingCell(FindingCellKind.InputEntry, r, RuleId(r), i, note.Span);
                    switch (note.Kind)
                    {
                        case TestNoteKind.TypeMismatch:
                            Add(FindingKind.TypeError, FindingSeverity.Error,
                                $"{Capital(RuleLabel(r))}, input '{column.Name}': {note.Message}, so this comparison is never true.",
                                rules: [r], cells: [cell]);
                            break;
                        case TestNoteKind.Unknown:
                        case TestNoteKind.NullUnknown when column.Domain.IncludesNull:
                            _unknown[r].Add((i, note.Message));
                            break;
                        case TestNoteKind.Mention when column.AllowedIsExact && !column.Domain.Contains(note.Value):
                            Add(FindingKind.OutsideAllowedValues, FindingSeverity.Warning,
                                $"{Capital(RuleLabel(r))}, input '{column.Name}': {ValueKinds.Format(note.Value)} is not one of its allowed values {column.AllowedText}{TypeSource(column)}.",
                                rules: [r], cells: [cell]);
                            break;
                    }
                }
            }
        }
    }

    private void CheckOutputs(FeelNames names)
    {
        _outputValues = new object?[]?[_outputCount];
        for (var o = 0; o < _outputCount; o++)
        {
            var output = table.Outputs[o];
            if (output.OutputValues.IsEmpty)
            {
                continue;
            }

            var values = new List<object?>();
            foreach (var text in output.OutputValues)
            {
                var parsed = FeelParser.ParseExpression(text, names);
                if (!parsed.Success)
                {
                    ParseError($"Output value {text} of '{OutputName(o)}': {parsed.Error!.Message}", parsed.Error,
                        new FindingCell(FindingCellKind.OutputValues, null, null, o, Span(parsed.Error)));
                }
                else if (TestSemantics.TryConstant(parsed.Value!, out var value, out _))
                {
                    values.Add(value);
                }
            }

            _outputValues[o] = [.. values];
        }

        _outputs = new OutputCell[_ruleCount][];
        for (var r = 0; r < _ruleCount; r++)
        {
            var rule = table.Rules[r];
            _outputs[r] = new OutputCell[_outputCount];
            if (rule.OutputEntries.Count != _outputCount)
            {
                Add(FindingKind.ParseError, FindingSeverity.Error,
                    $"{Capital(RuleLabel(r))} has {rule.OutputEntries.Count} output entries but the table has {_outputCount} outputs.", rules: [r]);
            }

            for (var o = 0; o < _outputCount && o < rule.OutputEntries.Count; o++)
            {
                var text = rule.OutputEntries[o];
                var parsed = FeelParser.ParseExpression(text, names);
                var cell = new FindingCell(FindingCellKind.OutputEntry, r, RuleId(r), o);
                if (!parsed.Success)
                {
                    ParseError($"{Capital(RuleLabel(r))}, output '{OutputName(o)}': {parsed.Error!.Message}", parsed.Error,
                        cell with { Span = Span(parsed.Error) }, r);
                    continue;
                }

                var isConstant = TestSemantics.TryConstant(parsed.Value!, out var value, out _);
                _outputs[r][o] = new OutputCell(true, isConstant, value, text.Trim());
                if (!isConstant || value is null)
                {
                    continue;
                }

                var type = table.Outputs[o].TypeRef;
                if (type is { } declared && !OfType(value, declared))
                {
                    Add(FindingKind.TypeError, FindingSeverity.Warning,
                        $"{Capital(RuleLabel(r))}, output '{OutputName(o)}': {ValueKinds.Format(value)} is a {ValueKinds.Name(ValueKinds.Of(value) ?? ValueKind.Any)}, but the output is typed {DmnText.TypeRefName(declared)}.",
                        rules: [r], cells: [cell with { Span = parsed.Value!.Span }]);
                }

                if (_outputValues[o] is { Length: > 0 } allowed && !allowed.Any(a => Equals(a, value)))
                {
                    Add(FindingKind.OutsideAllowedValues, FindingSeverity.Warning,
                        $"{Capital(RuleLabel(r))}, output '{OutputName(o)}': {ValueKinds.Format(value)} is not one of its output values {string.Join(", ", table.Outputs[o].OutputValues)}.",
                        rules: [r], cells: [cell with { Span = parsed.Value!.Span }]);
                }
            }
        }
    }

    private static bool OfType(object value, FeelType type) => (type, value) switch
    {
        (FeelType.Duration, TimeSpan or YearsMonthsDuration) => true,
        _ => ValueKinds.FromTypeRef(type) is { } kind && ValueKinds.Of(value) == kind,
    };

    private void BuildVariables()
    {
        var variables = new List<Variable>();
        foreach (var group in _columns.GroupBy(c => (c.Key, c.Kind)))
        {
            var columns = group.ToArray();
            var domain = columns.Skip(1).Aggregate(columns[0].Domain, (d, c) => d.Intersect(c.Domain));
            variables.Add(new Variable([.. columns.Select(c => c.Index)], group.Key.Kind, domain, columns[0].Name));
        }

        _variables = [.. variables];
        _under = new ValueSet[_ruleCount][];
        _over = new ValueSet[_ruleCount][];
        for (var r = 0; r < _ruleCount; r++)
        {
            _under[r] = new ValueSet[_variables.Length];
            _over[r] = new ValueSet[_variables.Length];
            for (var v = 0; v < _variables.Length; v++)
            {
                var variable = _variables[v];
                _under[r][v] = variable.Columns.Aggregate(variable.Domain, (set, i) => set.Intersect(_cellSets[r][i].TrueUnder));
                _over[r][v] = variable.Columns.Aggregate(variable.Domain, (set, i) => set.Intersect(_cellSets[r][i].TrueOver));
            }
        }
    }

    private void FindRulesThatNeverMatch()
    {
        _neverMatches = new bool[_ruleCount];
        for (var r = 0; r < _ruleCount; r++)
        {
            for (var v = 0; v < _variables.Length && !_neverMatches[r]; v++)
            {
                if (!_over[r][v].IsEmpty)
                {
                    continue;
                }

                _neverMatches[r] = true;
                var variable = _variables[v];
                var empty = variable.Columns.Where(i => _cellSets[r][i].TrueOver.Intersect(_columns[i].Domain).IsEmpty).ToArray();
                var cells = (empty.Length > 0 ? empty : variable.Columns)
                    .Select(i => new FindingCell(FindingCellKind.InputEntry, r, RuleId(r), i)).ToArray();
                string why;
                if (empty.Length > 0)
                {
                    var column = _columns[empty[0]];
                    var what = column.AllowedIsExact ? $"allowed value of '{column.Name}' ({column.AllowedText})" : $"value of '{column.Name}'";
                    why = $"its entry {table.Rules[r].InputEntries[empty[0]].Trim()} matches no {what}";
                }
                else
                {
                    why = $"its entries for '{variable.Name}' contradict each other";
                }

                Add(FindingKind.Unreachable, FindingSeverity.Warning, $"{Capital(RuleLabel(r))} can never match: {why}.", rules: [r], cells: cells);
            }
        }
    }

    private void ReportPartialRules()
    {
        for (var r = 0; r < _ruleCount; r++)
        {
            if (_unknown[r].Count == 0)
            {
                continue;
            }

            IsPartial = true;
            foreach (var cell in _unknown[r].GroupBy(u => u.Column))
            {
                var text = cell.Key < table.Rules[r].InputEntries.Count ? table.Rules[r].InputEntries[cell.Key].Trim() : "";
                PartialCells.Add(new PartialCell(r, RuleId(r), cell.Key, _columns[cell.Key].Name, text, string.Join("; ", cell.Select(u => u.Reason).Distinct())));
            }

            var reasons = _unknown[r].Select(u => $"'{_columns[u.Column].Name}': {u.Reason}").Distinct();
            Add(FindingKind.Partial, FindingSeverity.Info,
                $"{Capital(RuleLabel(r))} is analysed only in part ({string.Join("; ", reasons)}); gaps, overlaps and masking that involve it may be missing.",
                rules: [r],
                cells: [.. _unknown[r].Select(u => u.Column).Distinct().Select(i => new FindingCell(FindingCellKind.InputEntry, r, RuleId(r), i))]);
        }
    }

    /// <summary>" (from its type tLead in the model)" when the allowed values come from the model rather than the column.</summary>
    private static string TypeSource(Column column) =>
        string.IsNullOrWhiteSpace(column.Input.AllowedValues) && column.ModelType?.TypeName is { } type ? $" (from its type {type})" : "";

    private string RuleLabel(int r) =>
        string.IsNullOrWhiteSpace(table.Rules[r].Id) ? $"rule {r + 1}" : $"rule {r + 1} ({table.Rules[r].Id})";

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private string? RuleId(int r) => string.IsNullOrEmpty(table.Rules[r].Id) ? null : table.Rules[r].Id;

    private string OutputName(int o) =>
        string.IsNullOrWhiteSpace(table.Outputs[o].DisplayName) ? table.Name : table.Outputs[o].DisplayName;

    private static TextSpan Span(FeelSyntaxError error) => new(error.Offset, error.Length);

    private void ParseError(string message, FeelSyntaxError error, FindingCell cell, int? rule = null) =>
        Findings.Add(new TableFinding
        {
            Kind = FindingKind.ParseError,
            Severity = FindingSeverity.Error,
            Message = message,
            Rules = rule is { } r ? [r] : [],
            Cells = [cell],
            SyntaxError = error,
        });

    private void Add(FindingKind kind, FindingSeverity severity, string message, int[]? rules = null, FindingCell[]? cells = null,
        FindingCondition[]? conditions = null, IReadOnlyDictionary<string, object?>? example = null) =>
        Findings.Add(new TableFinding
        {
            Kind = kind,
            Severity = severity,
            Message = message,
            Rules = [.. rules ?? []],
            Cells = [.. cells ?? []],
            Conditions = [.. conditions ?? []],
            Example = example,
            ExampleInputs = example is null ? null : Nest(example),
        });

    /// <summary>
    /// Nests path keys into records (<c>Lead.employees</c> → <c>{"Lead": {"employees": …}}</c>), the shape callers pass
    /// to the evaluator; null when a plain input and a path share a root and so cannot both be given.
    /// </summary>
    private Dictionary<string, object?>? Nest(IReadOnlyDictionary<string, object?> example)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in example)
        {
            var path = _columns.FirstOrDefault(c => c.Key == key)?.Path;
            if (path is not { Members.Count: > 0 } p)
            {
                if (!result.TryAdd(key, value))
                {
                    return null;
                }

                continue;
            }

            var target = result;
            foreach (var segment in p.Members.Prepend(p.Root).SkipLast(1))
            {
                if (!target.TryGetValue(segment, out var inner))
                {
                    inner = new Dictionary<string, object?>(StringComparer.Ordinal);
                    target[segment] = inner;
                }

                if (inner is not Dictionary<string, object?> record)
                {
                    return null;
                }

                target = record;
            }

            if (!target.TryAdd(p.Members[^1], value))
            {
                return null;
            }
        }

        return result;
    }
}
