namespace AgentConsole.Engine.DecisionTables;

public enum DiffKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One difference between two versions of a decision, down to the cell.</summary>
/// <param name="Area">"table", "input", "output", "rule" or "expression".</param>
/// <param name="Item">Which column or rule (by label, or rule number and id).</param>
/// <param name="Field">The property or column that changed, when <paramref name="Kind"/> is Changed.</param>
public sealed record DecisionChange(DiffKind Kind, string Area, string Item, string? Field, string? From, string? To);

/// <summary>Compares two versions: table settings, columns, and rules matched by id so a moved rule reads as changed cells, not remove + add.</summary>
public static class DecisionDiff
{
    /// <summary>
    /// Compares two versions of a stored model. Two one-decision models compare as their decisions (a rename reads as
    /// one change); otherwise decisions are matched by name, each change's item names its decision, and decisions or
    /// knowledge models that appear or disappear are one change each.
    /// </summary>
    public static IReadOnlyList<DecisionChange> Compare(DmnModel from, DmnModel to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from.Decisions.Count == 1 && to.Decisions.Count == 1 && from.KnowledgeModels.Count == 0 && to.KnowledgeModels.Count == 0)
        {
            return Compare(from.Decisions[0], to.Decisions[0]);
        }

        var changes = new List<DecisionChange>();
        foreach (var before in from.Decisions)
        {
            if (to.FindDecision(before.Name) is { } after)
            {
                changes.AddRange(Compare(before, after).Select(c => c with { Item = $"{before.Name}: {c.Item}" }));
            }
            else
            {
                changes.Add(new(DiffKind.Removed, "decision", before.Name, null, before.Name, null));
            }
        }

        changes.AddRange(to.Decisions.Where(d => from.FindDecision(d.Name) is null).Select(d => new DecisionChange(DiffKind.Added, "decision", d.Name, null, null, d.Name)));
        foreach (var before in from.KnowledgeModels)
        {
            if (to.FindKnowledgeModel(before.Name) is { } after)
            {
                changes.AddRange(Compare(before.Body, after.Body).Select(c => c with { Item = $"{before.Name}: {c.Item}" }));
            }
            else
            {
                changes.Add(new(DiffKind.Removed, "knowledge model", before.Name, null, before.Name, null));
            }
        }

        changes.AddRange(to.KnowledgeModels.Where(k => from.FindKnowledgeModel(k.Name) is null)
            .Select(k => new DecisionChange(DiffKind.Added, "knowledge model", k.Name, null, null, k.Name)));
        return changes;
    }

    public static IReadOnlyList<DecisionChange> Compare(DmnDecision from, DmnDecision to)
    {
        var changes = new List<DecisionChange>();
        if (from.Name != to.Name)
        {
            changes.Add(new(DiffKind.Changed, "table", "decision", "name", from.Name, to.Name));
        }

        switch (from, to)
        {
            case (DecisionTableDefinition a, DecisionTableDefinition b):
                CompareTables(a, b, changes);
                break;
            case (LiteralExpressionDecision a, LiteralExpressionDecision b):
                if (a.Expression != b.Expression)
                {
                    changes.Add(new(DiffKind.Changed, "expression", "expression", "text", a.Expression, b.Expression));
                }

                if (a.TypeRef != b.TypeRef)
                {
                    changes.Add(new(DiffKind.Changed, "expression", "expression", "typeRef", DmnText.TypeRefName(a.TypeRef), DmnText.TypeRefName(b.TypeRef)));
                }

                break;
            default:
                changes.Add(new(DiffKind.Changed, "table", "decision", "kind", from.GetType().Name, to.GetType().Name));
                break;
        }

        return changes;
    }

    private static void CompareTables(DecisionTableDefinition a, DecisionTableDefinition b, List<DecisionChange> changes)
    {
        if (a.HitPolicy != b.HitPolicy || a.Aggregator != b.Aggregator)
        {
            changes.Add(new(DiffKind.Changed, "table", "hit policy", "hitPolicy",
                DmnText.HitPolicyCode(a.HitPolicy, a.Aggregator), DmnText.HitPolicyCode(b.HitPolicy, b.Aggregator)));
        }

        CompareColumns("input", a.Inputs, b.Inputs, i => i.Id, i => i.DisplayName,
            [("expression", i => i.Expression), ("label", i => i.Label), ("typeRef", i => DmnText.TypeRefName(i.TypeRef)), ("allowedValues", i => i.AllowedValues)],
            changes);
        CompareColumns("output", a.Outputs, b.Outputs, o => o.Id, o => o.DisplayName,
            [("name", o => o.Name), ("label", o => o.Label), ("typeRef", o => DmnText.TypeRefName(o.TypeRef)),
             ("outputValues", o => string.Join(", ", o.OutputValues)), ("default", o => o.DefaultOutputEntry)],
            changes);

        var before = a.Rules.Select((r, i) => (Rule: r, Index: i)).ToDictionary(x => RuleKey(x.Rule, x.Index));
        var after = b.Rules.Select((r, i) => (Rule: r, Index: i)).ToDictionary(x => RuleKey(x.Rule, x.Index));
        foreach (var (key, old) in before.Where(p => !after.ContainsKey(p.Key)))
        {
            changes.Add(new(DiffKind.Removed, "rule", RuleName(old.Rule, old.Index), null, Cells(a, old.Rule), null));
        }

        foreach (var (key, now) in after)
        {
            if (!before.TryGetValue(key, out var old))
            {
                changes.Add(new(DiffKind.Added, "rule", RuleName(now.Rule, now.Index), null, null, Cells(b, now.Rule)));
                continue;
            }

            var item = RuleName(now.Rule, now.Index);
            if (old.Index != now.Index)
            {
                changes.Add(new(DiffKind.Changed, "rule", item, "position", (old.Index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    (now.Index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            CompareCells(item, a.Inputs.Select(i => i.DisplayName).ToList(), b.Inputs.Select(i => i.DisplayName).ToList(), old.Rule.InputEntries, now.Rule.InputEntries, changes);
            CompareCells(item, a.Outputs.Select(o => o.DisplayName).ToList(), b.Outputs.Select(o => o.DisplayName).ToList(), old.Rule.OutputEntries, now.Rule.OutputEntries, changes);
            CompareCells(item, [.. a.AnnotationColumns], [.. b.AnnotationColumns], old.Rule.Annotations, now.Rule.Annotations, changes);
        }
    }

    private static void CompareColumns<T>(
        string area, EquatableArray<T> a, EquatableArray<T> b, Func<T, string> id, Func<T, string> name,
        (string Field, Func<T, string?> Get)[] fields, List<DecisionChange> changes)
    {
        for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
        {
            if (i >= a.Count)
            {
                changes.Add(new(DiffKind.Added, area, name(b[i]), null, null, name(b[i])));
            }
            else if (i >= b.Count)
            {
                changes.Add(new(DiffKind.Removed, area, name(a[i]), null, name(a[i]), null));
            }
            else
            {
                foreach (var (field, get) in fields)
                {
                    if (get(a[i]) != get(b[i]))
                    {
                        changes.Add(new(DiffKind.Changed, area, name(b[i]), field, get(a[i]), get(b[i])));
                    }
                }
            }
        }
    }

    private static void CompareCells(string rule, List<string> columnsBefore, List<string> columnsAfter, EquatableArray<string> before, EquatableArray<string> after, List<DecisionChange> changes)
    {
        for (var i = 0; i < Math.Max(before.Count, after.Count); i++)
        {
            var old = i < before.Count ? before[i] : null;
            var now = i < after.Count ? after[i] : null;
            if (old != now)
            {
                var column = i < columnsAfter.Count ? columnsAfter[i] : i < columnsBefore.Count ? columnsBefore[i] : $"column {i + 1}";
                changes.Add(new(DiffKind.Changed, "rule", rule, column, old, now));
            }
        }
    }

    // Rules without ids (hand-written JSON) fall back to their position.
    private static string RuleKey(DecisionRule rule, int index) => string.IsNullOrEmpty(rule.Id) ? $"#{index}" : rule.Id;

    private static string RuleName(DecisionRule rule, int index) => $"rule {index + 1}";

    private static string Cells(DecisionTableDefinition table, DecisionRule rule) =>
        string.Join(" | ", rule.InputEntries) + " → " + string.Join(" | ", rule.OutputEntries);
}
