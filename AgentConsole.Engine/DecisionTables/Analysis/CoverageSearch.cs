namespace AgentConsole.Engine.DecisionTables.Analysis;

/// <summary>
/// Splits each column's domain into atoms: the coarsest partition in which every cell set of the table is a union of
/// atoms. Coverage questions over the infinite value space then become questions over finitely many atom combinations.
/// </summary>
internal sealed class AtomGrid
{
    private readonly ValueSet[][] _atoms;

    public AtomGrid(IReadOnlyList<ValueSet> domains, IReadOnlyList<IEnumerable<ValueSet>> setsPerColumn)
    {
        _atoms = new ValueSet[domains.Count][];
        for (var c = 0; c < domains.Count; c++)
        {
            var domain = domains[c];
            var atoms = domain.IsEmpty ? new List<ValueSet>() : [domain];
            foreach (var set in setsPerColumn[c].Select(s => s.Intersect(domain)).Distinct())
            {
                if (set.IsEmpty || set.Equals(domain))
                {
                    continue;
                }

                var refined = new List<ValueSet>(atoms.Count + 2);
                foreach (var atom in atoms)
                {
                    var inside = atom.Intersect(set);
                    if (inside.IsEmpty)
                    {
                        refined.Add(atom);
                        continue;
                    }

                    refined.Add(inside);
                    var outside = atom.Subtract(set);
                    if (!outside.IsEmpty)
                    {
                        refined.Add(outside);
                    }
                }

                atoms = refined;
            }

            atoms.Sort(AtomOrder.Instance);
            _atoms[c] = [.. atoms];
        }
    }

    public int Columns => _atoms.Length;

    public IReadOnlyList<ValueSet> Atoms(int column) => _atoms[column];

    /// <summary>For each atom of <paramref name="column"/>: the rules whose cell holds it (null cell = rule left out).</summary>
    public RuleBits[] Members(int column, int ruleCount, Func<int, ValueSet?> cellOf)
    {
        var atoms = _atoms[column];
        var cells = Enumerable.Range(0, ruleCount).Select(cellOf).ToArray();
        var result = new RuleBits[atoms.Length];
        for (var a = 0; a < atoms.Length; a++)
        {
            var atom = atoms[a];
            result[a] = RuleBits.Of(ruleCount, Enumerable.Range(0, ruleCount).Where(r => cells[r] is { } cell && atom.IsSubsetOf(cell)));
        }

        return result;
    }

    public ValueSet Union(int column, IEnumerable<int> atoms, ValueKind kind) =>
        atoms.Aggregate(ValueSet.Empty(kind), (set, a) => set.Union(_atoms[column][a]));

    /// <summary>Ascending values first, then "every other string", then null, so gaps are listed in reading order.</summary>
    private sealed class AtomOrder : IComparer<ValueSet>
    {
        public static readonly AtomOrder Instance = new();

        public int Compare(ValueSet? x, ValueSet? y)
        {
            var (rx, ry) = (Rank(x!), Rank(y!));
            if (rx != ry)
            {
                return rx.CompareTo(ry);
            }

            if (x!.Intervals.Count > 0 && y!.Intervals.Count > 0)
            {
                return Interval.CompareLow(x.Intervals[0].Low, y.Intervals[0].Low);
            }

            if (x.StringList.Count > 0 && y!.StringList.Count > 0)
            {
                return string.CompareOrdinal(x.StringList[0], y.StringList[0]);
            }

            // Booleans: true before false, the order examples prefer.
            return -x.Contains(true).CompareTo(y!.Contains(true));
        }

        private static int Rank(ValueSet set) => set.IsEmpty ? 3 : set.Equals(ValueSet.NullOnly(set.Kind)) ? 2 : set.IsCoFinite ? 1 : 0;
    }
}

/// <summary>
/// Finds the combinations of atoms no candidate rule covers, column by column. At each column the atoms are grouped by
/// which candidates still match, so equivalent atoms are explored once and come out merged into one gap box; a branch
/// stops as soon as no candidate is left (a gap) or a candidate matches everything in the remaining columns (covered).
/// Results per (column, candidates) are memoised, which keeps typical tables to a few thousand steps.
/// </summary>
internal sealed class CoverageSearch
{
    private readonly RuleBits[][] _members;
    private readonly int[][] _allowed;
    private readonly RuleBits[] _coversRest;
    private readonly int _keep;
    private readonly long _budget;
    private readonly Dictionary<(int Column, RuleBits Alive), Node> _memo = [];
    private readonly bool _nothingToCover;
    private bool _firstOnly;

    /// <param name="members">Per column and atom: the rules whose cell holds the atom.</param>
    /// <param name="allowed">Per column: the atoms to cover (the whole domain, or the box of a rule being checked).</param>
    /// <param name="keep">How many gap boxes to keep per search node; the count of all gaps is kept regardless.</param>
    /// <param name="budget">Steps before the search gives up and reports itself exhausted.</param>
    public CoverageSearch(RuleBits[][] members, int[][] allowed, int ruleCount, int keep, long budget)
    {
        _members = members;
        _allowed = allowed;
        _keep = keep;
        _budget = budget;
        var columns = members.Length;

        // A column with no atom to cover makes the whole product empty: nothing can be a gap.
        _nothingToCover = allowed.Any(a => a.Length == 0);

        // _coversRest[c]: rules whose cells hold every allowed atom of columns c.. — reaching one of them ends a branch.
        _coversRest = new RuleBits[columns + 1];
        _coversRest[columns] = RuleBits.Of(ruleCount, Enumerable.Range(0, ruleCount));
        for (var c = columns - 1; c >= 0; c--)
        {
            var all = _coversRest[c + 1];
            foreach (var atom in allowed[c])
            {
                all = all.And(members[c][atom]);
            }

            _coversRest[c] = all;
        }
    }

    public long Steps { get; private set; }

    public bool Exhausted { get; private set; }

    /// <summary>Every gap (up to the kept number of boxes) and how many gap boxes there are in all.</summary>
    public (IReadOnlyList<int[][]> Boxes, long Count) FindGaps(RuleBits candidates)
    {
        _firstOnly = false;
        _memo.Clear();
        var node = _nothingToCover ? Node.Covered : Search(0, candidates);
        return (node.Boxes, node.Count);
    }

    /// <summary>True when some allowed combination escapes every candidate; null when the budget ran out first.</summary>
    public bool? HasGap(RuleBits candidates)
    {
        _firstOnly = true;
        _memo.Clear();
        var found = !_nothingToCover && Search(0, candidates).Count > 0;
        return found ? true : Exhausted ? null : false;
    }

    private Node Search(int column, RuleBits alive)
    {
        var columns = _members.Length;
        if (alive.IsEmpty)
        {
            return new Node([[.. Enumerable.Range(column, columns - column).Select(c => _allowed[c])]], 1);
        }

        if (column == columns || alive.Intersects(_coversRest[column]))
        {
            return Node.Covered;
        }

        if (_memo.TryGetValue((column, alive), out var known))
        {
            return known;
        }

        if (++Steps > _budget)
        {
            Exhausted = true;
            return Node.Covered;
        }

        // Group this column's atoms by the candidates that still match; each group is explored once.
        var groups = new List<(RuleBits Alive, List<int> Atoms)>();
        var index = new Dictionary<RuleBits, int>();
        foreach (var atom in _allowed[column])
        {
            var next = alive.And(_members[column][atom]);
            if (index.TryGetValue(next, out var g))
            {
                groups[g].Atoms.Add(atom);
            }
            else
            {
                index[next] = groups.Count;
                groups.Add((next, [atom]));
            }
        }

        var boxes = new List<int[][]>();
        long count = 0;
        foreach (var (next, atoms) in groups)
        {
            var child = Search(column + 1, next);
            count = count > long.MaxValue - child.Count ? long.MaxValue : count + child.Count;
            var head = atoms.ToArray();
            foreach (var box in child.Boxes)
            {
                if (boxes.Count >= _keep)
                {
                    break;
                }

                boxes.Add([head, .. box]);
            }

            if (_firstOnly && count > 0)
            {
                break;
            }
        }

        var node = new Node(boxes, count);
        if (!Exhausted)
        {
            _memo[(column, alive)] = node;
        }

        return node;
    }

    private sealed record Node(IReadOnlyList<int[][]> Boxes, long Count)
    {
        public static readonly Node Covered = new([], 0);
    }
}
