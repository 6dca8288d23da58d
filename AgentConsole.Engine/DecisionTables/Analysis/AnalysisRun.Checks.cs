namespace AgentConsole.Engine.DecisionTables.Analysis;

/// <summary>The checks over rule boxes: gaps, overlaps, masked rules.</summary>
internal sealed partial class AnalysisRun
{
    private void FindGaps()
    {
        var grid = _grid!;
        // Possibly-true sets: a rule whose cell might match counts as covering, so every reported gap is real.
        var members = _overMembers = [.. Enumerable.Range(0, _variables.Length)
            .Select(v => grid.Members(v, _ruleCount, r => _neverMatches[r] ? null : _over[r][v]))];
        var everything = Enumerable.Range(0, _variables.Length).Select(v => Enumerable.Range(0, grid.Atoms(v).Count).ToArray()).ToArray();
        var keep = Math.Max(options.MaxReportedGaps * 4, 64);
        var search = new CoverageSearch(members, everything, _ruleCount, keep, RemainingBudget());
        var (boxes, count) = search.FindGaps(RuleBits.Of(_ruleCount, Enumerable.Range(0, _ruleCount).Where(r => !_neverMatches[r])));
        Spend(search);
        var (merged, split) = SplitIntervals(MergeBoxes([.. boxes.Select(ToSets)]), keep);
        GapCount = count - boxes.Count + split;
        var severity = table.Outputs.Any(o => !string.IsNullOrWhiteSpace(o.DefaultOutputEntry))
            || table.HitPolicy is HitPolicy.Collect or HitPolicy.RuleOrder or HitPolicy.OutputOrder
            ? FindingSeverity.Info
            : FindingSeverity.Warning;
        foreach (var box in merged.Take(options.MaxReportedGaps))
        {
            var example = Example(box);
            var conditions = Conditions(box);
            var message = conditions.Length == 0 ? "No rule matches any input." : $"No rule covers {Where(conditions, example)}.";
            Add(FindingKind.Gap, severity, message,
                cells: [.. conditions.Select(c => new FindingCell(FindingCellKind.InputExpression, null, null, c.Input))],
                conditions: conditions, example: example);
        }

        // The search keeps a bounded number of boxes, so fewer than the maximum may be listed while more exist.
        var unlisted = GapCount - Math.Min(merged.Count, options.MaxReportedGaps);
        if (unlisted > 0)
        {
            Add(FindingKind.Gap, FindingSeverity.Info, $"… and {unlisted:N0} more gaps not listed.");
        }
    }

    private ValueSet[] ToSets(int[][] box) =>
        [.. box.Select((atoms, v) => _grid!.Union(v, atoms, _variables[v].Kind))];

    /// <summary>
    /// Joins boxes that differ in one column only, e.g. the gaps "x &lt; 0, y = 1" and "x &lt; 0, y = 2". One pass per
    /// column groups the boxes by all their other columns (hashing, so hundreds of boxes merge in linear time);
    /// passes repeat until nothing merges.
    /// </summary>
    private static List<ValueSet[]> MergeBoxes(List<ValueSet[]> boxes)
    {
        var columns = boxes.Count == 0 ? 0 : boxes[0].Length;
        var changed = true;
        while (changed)
        {
            changed = false;
            for (var v = 0; v < columns; v++)
            {
                var groups = new Dictionary<BoxExcept, int>();
                var merged = new List<ValueSet[]>(boxes.Count);
                foreach (var box in boxes)
                {
                    var key = new BoxExcept(box, v);
                    if (groups.TryGetValue(key, out var index))
                    {
                        var union = (ValueSet[])merged[index].Clone();
                        union[v] = union[v].Union(box[v]);
                        merged[index] = union;
                        changed = true;
                    }
                    else
                    {
                        groups[key] = merged.Count;
                        merged.Add(box);
                    }
                }

                boxes = merged;
            }
        }

        return boxes;
    }

    /// <summary>A box compared and hashed on every column but <see cref="Skip"/>.</summary>
    private readonly record struct BoxExcept(ValueSet[] Box, int Skip)
    {
        public bool Equals(BoxExcept other)
        {
            for (var v = 0; v < Box.Length; v++)
            {
                if (v != Skip && !Box[v].Equals(other.Box[v]))
                {
                    return false;
                }
            }

            return true;
        }

        public override int GetHashCode()
        {
            var hash = new HashCode();
            for (var v = 0; v < Box.Length; v++)
            {
                if (v != Skip)
                {
                    hash.Add(Box[v]);
                }
            }

            return hash.ToHashCode();
        }
    }

    /// <summary>
    /// Splits a box whose ordered column is a union of separate intervals (or intervals and null) into one box per piece,
    /// so each gap reads as one range with its own example rather than "x &lt; 0 or 0 &lt; x &lt; 2 or …".
    /// Materialises at most <paramref name="keep"/> boxes and counts the rest.
    /// </summary>
    private static (List<ValueSet[]> Boxes, long Count) SplitIntervals(List<ValueSet[]> boxes, int keep)
    {
        var result = new List<ValueSet[]>();
        long total = 0;
        foreach (var box in boxes)
        {
            var parts = box.Select(Pieces).ToArray();
            var product = parts.Aggregate(1L, (n, p) => n > long.MaxValue / p.Count ? long.MaxValue : n * p.Count);
            total = total > long.MaxValue - product ? long.MaxValue : total + product;
            IEnumerable<ValueSet[]> pieces = [[]];
            foreach (var options in parts)
            {
                pieces = pieces.SelectMany(prefix => options.Select(option => (ValueSet[])[.. prefix, option]));
            }

            result.AddRange(pieces.Take(Math.Max(0, keep - result.Count)));
        }

        return (result, total);
    }

    private static List<ValueSet> Pieces(ValueSet set)
    {
        if (!ValueKinds.IsOrdered(set.Kind) || set.Intervals.Count + (set.IncludesNull ? 1 : 0) <= 1)
        {
            return [set];
        }

        var parts = set.Intervals.Select(i => ValueSet.Range(set.Kind, i.Low, i.High)).ToList();
        if (set.IncludesNull)
        {
            parts.Add(ValueSet.NullOnly(set.Kind));
        }

        return parts;
    }

    private void FindOverlaps()
    {
        if (table.HitPolicy is not (HitPolicy.Unique or HitPolicy.Any))
        {
            return;
        }

        // Each rule's surely-true cells as bit sets of atoms: two rules overlap when their atoms meet in every column,
        // a cheap test for all pairs; only overlapping pairs get their intersection computed as value sets.
        var atomsOf = AtomsPerRule(UnderMembers());
        long count = 0;
        for (var a = 0; a < _ruleCount; a++)
        {
            for (var b = a + 1; b < _ruleCount; b++)
            {
                if (!Enumerable.Range(0, _variables.Length).All(v => atomsOf[a][v].Intersects(atomsOf[b][v])))
                {
                    continue;
                }

                // Surely-true sets: an overlap is reported only when both rules certainly match the example.
                var box = new ValueSet[_variables.Length];
                var disjoint = false;
                for (var v = 0; v < _variables.Length && !disjoint; v++)
                {
                    box[v] = _under[a][v].Intersect(_under[b][v]);
                    disjoint = box[v].IsEmpty;
                }

                if (disjoint)
                {
                    continue;
                }

                string? difference = null;
                var severity = FindingSeverity.Error;
                var outputCells = new List<FindingCell>();
                if (table.HitPolicy == HitPolicy.Any)
                {
                    (difference, var certain, var outputs) = CompareOutputs(a, b);
                    if (difference is null)
                    {
                        continue;
                    }

                    severity = certain ? FindingSeverity.Error : FindingSeverity.Warning;
                    outputCells = [.. outputs.SelectMany(o => new[] { OutputCellOf(a, o), OutputCellOf(b, o) })];
                }

                if (++count > options.MaxReportedOverlaps)
                {
                    continue;
                }

                var example = Example(box);
                var conditions = Conditions(box);
                var where = conditions.Length == 0 ? "every input" : Where(conditions, example);
                var message = table.HitPolicy == HitPolicy.Unique
                    ? $"{Capital(RuleLabel(a))} and {RuleLabel(b)} both match {where}; the UNIQUE hit policy allows only one matching rule."
                    : $"{Capital(RuleLabel(a))} and {RuleLabel(b)} both match {where} but {difference}; the ANY hit policy needs matching rules to agree.";
                var inputCells = new[] { a, b }.SelectMany(r => Enumerable.Range(0, _inputCount)
                    .Where(i => _entries[r][i] is not AnyTest)
                    .Select(i => new FindingCell(FindingCellKind.InputEntry, r, RuleId(r), i)));
                Add(FindingKind.Overlap, severity, message, rules: [a, b], cells: [.. inputCells, .. outputCells],
                    conditions: conditions, example: example);
            }
        }

        OverlapCount = count;
        if (count > options.MaxReportedOverlaps)
        {
            Add(FindingKind.Overlap, FindingSeverity.Info, $"… and {count - options.MaxReportedOverlaps:N0} more overlapping rule pairs not listed.");
        }
    }

    private RuleBits[][] _overMembers = [];
    private RuleBits[][]? _underMembers;

    /// <summary>Per variable and atom: the rules whose surely-true cell holds the atom (rules that never match left out).</summary>
    private RuleBits[][] UnderMembers() => _underMembers ??= [.. Enumerable.Range(0, _variables.Length)
        .Select(v => _grid!.Members(v, _ruleCount, r => _neverMatches[r] ? null : _under[r][v]))];

    /// <summary>Turns per-atom rule sets around: per rule and variable, the set of atoms its cell holds.</summary>
    private RuleBits[][] AtomsPerRule(RuleBits[][] members)
    {
        var lists = new List<int>[_ruleCount, _variables.Length];
        for (var v = 0; v < _variables.Length; v++)
        {
            for (var r = 0; r < _ruleCount; r++)
            {
                lists[r, v] = [];
            }

            for (var a = 0; a < members[v].Length; a++)
            {
                foreach (var r in members[v][a].Members())
                {
                    lists[r, v].Add(a);
                }
            }
        }

        return [.. Enumerable.Range(0, _ruleCount).Select(r => Enumerable.Range(0, _variables.Length)
            .Select(v => RuleBits.Of(members[v].Length, lists[r, v])).ToArray())];
    }

    private FindingCell OutputCellOf(int r, int o) => new(FindingCellKind.OutputEntry, r, RuleId(r), o);

    /// <summary>How two rules' outputs differ: null when they surely agree; certain when both are differing constants.</summary>
    private (string? Difference, bool Certain, List<int> Outputs) CompareOutputs(int a, int b)
    {
        var outputs = new List<int>();
        string? difference = null;
        var certain = false;
        for (var o = 0; o < _outputCount; o++)
        {
            var (x, y) = (_outputs[a][o], _outputs[b][o]);
            bool same;
            if (x.IsConstant && y.IsConstant)
            {
                same = Equals(x.Value, y.Value);
                certain |= !same;
            }
            else
            {
                same = x.Parsed && y.Parsed && string.Equals(x.Text, y.Text, StringComparison.Ordinal);
            }

            if (!same)
            {
                outputs.Add(o);
                var suffix = _outputCount > 1 ? $" for '{OutputName(o)}'" : "";
                difference ??= x.IsConstant && y.IsConstant
                    ? $"give different outputs{suffix} ({ValueKinds.Format(x.Value)} and {ValueKinds.Format(y.Value)})"
                    : $"may give different outputs{suffix} ({(x.Parsed ? x.Text : "?")} and {(y.Parsed ? y.Text : "?")})";
            }
        }

        return (difference, certain, outputs);
    }

    private void FindMaskedRules()
    {
        if (table.HitPolicy is not (HitPolicy.First or HitPolicy.Priority))
        {
            return;
        }

        // Surely-true sets for the rules that take precedence, so a rule is called masked only when it certainly is.
        var members = UnderMembers();
        var priorities = table.HitPolicy == HitPolicy.Priority ? Priorities() : null;
        if (priorities is not null && _outputValues.All(v => v is null))
        {
            return;
        }

        var boxes = AtomsPerRule(_overMembers);
        for (var j = 0; j < _ruleCount; j++)
        {
            if (_neverMatches[j] || (priorities is not null && priorities[j] is null))
            {
                continue;
            }

            var winners = Enumerable.Range(0, _ruleCount)
                .Where(i => i != j && !_neverMatches[i] && (priorities is null ? i < j : Beats(priorities, i, j)))
                .ToArray();
            if (winners.Length == 0)
            {
                continue;
            }

            var box = boxes[j].Select(atoms => atoms.Members().ToArray()).ToArray();
            var search = new CoverageSearch(members, box, _ruleCount, 1, RemainingBudget());
            var hasGap = search.HasGap(RuleBits.Of(_ruleCount, winners));
            Spend(search);
            if (hasGap is not false)
            {
                continue;
            }

            var involved = winners.Where(i => Enumerable.Range(0, _variables.Length).All(v => _under[i][v].Overlaps(_over[j][v]))).ToArray();
            var list = string.Join(", ", involved.Select(i => (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var message = priorities is null
                ? $"{Capital(RuleLabel(j))} can never fire: every input it matches is matched first by earlier rule{(involved.Length > 1 ? "s" : "")} {list} (FIRST hit policy)."
                : $"{Capital(RuleLabel(j))} can never fire: every input it matches is also matched by rule{(involved.Length > 1 ? "s" : "")} {list} with a higher-priority output (PRIORITY hit policy; at equal priority the earlier rule wins).";
            Add(FindingKind.Unreachable, FindingSeverity.Warning, message, rules: [.. involved.Append(j).Order()],
                cells: [.. Enumerable.Range(0, _inputCount).Select(i => new FindingCell(FindingCellKind.InputEntry, j, RuleId(j), i))]);
        }
    }

    /// <summary>
    /// Per rule, the index of each prioritised output's value in its output values (unlisted values rank last, as in the
    /// evaluator); null when an output is not a constant, so its priority is only known at run time.
    /// </summary>
    private int[]?[] Priorities()
    {
        var result = new int[]?[_ruleCount];
        for (var r = 0; r < _ruleCount; r++)
        {
            var ranks = new List<int>();
            var known = true;
            for (var o = 0; o < _outputCount && known; o++)
            {
                if (_outputValues[o] is not { } list)
                {
                    continue;
                }

                var cell = _outputs[r][o];
                known = cell.IsConstant;
                var index = Array.FindIndex(list, v => Equals(v, cell.Value));
                ranks.Add(index < 0 ? list.Length : index);
            }

            result[r] = known ? [.. ranks] : null;
        }

        return result;
    }

    /// <summary>True when rule <paramref name="i"/> wins over rule <paramref name="j"/> whenever both match.</summary>
    private static bool Beats(int[]?[] priorities, int i, int j)
    {
        if (priorities[i] is not { } a || priorities[j] is not { } b)
        {
            return false;
        }

        for (var k = 0; k < a.Length; k++)
        {
            if (a[k] != b[k])
            {
                return a[k] < b[k];
            }
        }

        return i < j;
    }

    private Dictionary<string, object?> Example(ValueSet[] box)
    {
        var example = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var v = 0; v < _variables.Length; v++)
        {
            // A list input has no value domain here, so any single value named for it would mislead.
            if (_variables[v].Columns.All(i => _columns[i].IsList))
            {
                continue;
            }

            box[v].TrySample(out var value);
            foreach (var i in _variables[v].Columns)
            {
                example[_columns[i].Key] = value;
            }
        }

        return example;
    }

    private FindingCondition[] Conditions(ValueSet[] box) =>
        [.. Enumerable.Range(0, _variables.Length)
            .Where(v => !box[v].Equals(_variables[v].Domain))
            .Select(v => new FindingCondition(_variables[v].Columns[0], _variables[v].Name, box[v].Describe(_variables[v].Name)))];

    /// <summary>
    /// "employees = 10 (10 ≤ employees &lt; 11)": the example's constrained values, then the ranges they stand for,
    /// leaving out ranges that are just the example value again.
    /// </summary>
    private string Where(FindingCondition[] conditions, Dictionary<string, object?> example)
    {
        var assignments = conditions.Select(c => $"{c.InputName} = {ValueKinds.Format(example[_columns[c.Input].Key])}").ToArray();
        var ranges = conditions.Where((c, i) => c.Text != assignments[i]).Select(c => c.Text).ToArray();
        return string.Join(" and ", assignments) + (ranges.Length == 0 ? "" : $" ({string.Join("; ", ranges)})");
    }

    private long RemainingBudget() => Math.Max(0, options.MaxSearchSteps - SearchSteps);

    private void Spend(CoverageSearch search)
    {
        SearchSteps += search.Steps;
        _searchExhausted |= search.Exhausted;
    }
}
