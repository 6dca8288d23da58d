using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Components.Pages.DecisionTables;

/// <summary>Which part of the grid a cell is in; with a row and column index it names one cell.</summary>
public enum CellArea
{
    Input,
    Output,
    Annotation,
}

public readonly record struct CellRef(int Row, CellArea Area, int Column);

public sealed class InputColumn
{
    public string Id { get; set; } = "";
    public string? Label { get; set; }
    public string Expression { get; set; } = "";
    public string ExpressionId { get; set; } = "";
    public FeelType? TypeRef { get; set; }
    public string? AllowedValues { get; set; }

    public string Title => string.IsNullOrWhiteSpace(Label) ? Expression : Label;
}

public sealed class OutputColumn
{
    public string Id { get; set; } = "";
    public string? Name { get; set; }
    public string? Label { get; set; }
    public FeelType? TypeRef { get; set; }

    /// <summary>Allowed output values as typed: S-FEEL literals separated by commas, highest priority first.</summary>
    public string OutputValues { get; set; } = "";

    public string? Default { get; set; }

    public string Title => !string.IsNullOrWhiteSpace(Label) ? Label : Name ?? "";
}

public sealed class RuleRow
{
    public string Id { get; set; } = "";
    public List<string> Inputs { get; set; } = [];
    public List<string> Outputs { get; set; } = [];
    public List<string> Annotations { get; set; } = [];
}

/// <summary>
/// The editor's mutable copy of a decision table. The engine's model is immutable; this is what the grid binds to,
/// converted back with <see cref="ToModel"/> for saving, analysis and the test panel.
/// </summary>
public sealed class TableEditState
{
    private DmnModel _source = default!;

    // The name the edited table had in the model when it was opened: the decision (or knowledge model) it replaces.
    private string _sourceName = "";

    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public HitPolicy HitPolicy { get; set; } = HitPolicy.Unique;
    public CollectAggregator Aggregator { get; set; }
    public List<InputColumn> Inputs { get; } = [];
    public List<OutputColumn> Outputs { get; } = [];
    public List<string> AnnotationColumns { get; } = [];
    public List<RuleRow> Rules { get; } = [];

    /// <summary>
    /// Opens the decision table named <paramref name="decision"/> of the model (a decision, or the body of a business
    /// knowledge model); default: the model's main decision.
    /// </summary>
    public static TableEditState From(DmnModel model, string? decision = null)
    {
        var table = (DecisionTableDefinition)(decision is null ? model.Main() : TableOf(model, decision)!);
        var state = new TableEditState
        {
            _source = model,
            _sourceName = table.Name,
            Name = table.Name,
            Description = table.Description,
            HitPolicy = table.HitPolicy,
            Aggregator = table.Aggregator,
        };
        state.Inputs.AddRange(table.Inputs.Select(i => new InputColumn
        {
            Id = i.Id, Label = i.Label, Expression = i.Expression, ExpressionId = i.ExpressionId, TypeRef = i.TypeRef, AllowedValues = i.AllowedValues,
        }));
        state.Outputs.AddRange(table.Outputs.Select(o => new OutputColumn
        {
            Id = o.Id, Name = o.Name, Label = o.Label, TypeRef = o.TypeRef, OutputValues = string.Join(", ", o.OutputValues), Default = o.DefaultOutputEntry,
        }));
        state.AnnotationColumns.AddRange(table.AnnotationColumns);
        state.Rules.AddRange(table.Rules.Select(r => new RuleRow
        {
            Id = r.Id,
            Inputs = Pad(r.InputEntries, state.Inputs.Count, "-"),
            Outputs = Pad(r.OutputEntries, state.Outputs.Count, ""),
            Annotations = Pad(r.Annotations, state.AnnotationColumns.Count, ""),
        }));
        return state;
    }

    /// <summary>The decision table named <paramref name="name"/>: a decision's, or a business knowledge model's body.</summary>
    public static DecisionTableDefinition? TableOf(DmnModel model, string name) =>
        model.FindDecision(name) as DecisionTableDefinition ?? model.FindKnowledgeModel(name)?.Body as DecisionTableDefinition;

    /// <summary>The model with the edited table written back in place of the one opened; every other part kept.</summary>
    public DmnModel ToModel()
    {
        var original = TableOf(_source, _sourceName)!;
        var table = original with
        {
            Name = Name.Trim(),
            Description = string.IsNullOrWhiteSpace(Description) ? null : Description,
            HitPolicy = HitPolicy,
            Aggregator = HitPolicy == HitPolicy.Collect ? Aggregator : CollectAggregator.None,
            Inputs = [.. Inputs.Select(i => new DecisionInput
            {
                Id = i.Id, Label = Blank(i.Label), Expression = i.Expression.Trim(), ExpressionId = i.ExpressionId, TypeRef = i.TypeRef, AllowedValues = Blank(i.AllowedValues),
            })],
            Outputs = [.. Outputs.Select(o => new DecisionOutput
            {
                Id = o.Id, Name = Blank(o.Name), Label = Blank(o.Label), TypeRef = o.TypeRef,
                OutputValues = [.. SplitLiterals(o.OutputValues)], DefaultOutputEntry = Blank(o.Default),
            })],
            AnnotationColumns = [.. AnnotationColumns],
            Rules = [.. Rules.Select(r => new DecisionRule
            {
                Id = r.Id, InputEntries = [.. r.Inputs.Select(c => c.Trim())], OutputEntries = [.. r.Outputs.Select(c => c.Trim())], Annotations = [.. r.Annotations],
            })],
        };
        return Replace(_source, _sourceName, table);
    }

    /// <summary>
    /// Writes <paramref name="edited"/> into the model in place of the decision or knowledge-model body named
    /// <paramref name="name"/>. A one-decision model is named after its decision, as it always was.
    /// </summary>
    public static DmnModel Replace(DmnModel model, string name, DmnDecision edited)
    {
        if (model.FindKnowledgeModel(name) is not null && model.FindDecision(name) is null)
        {
            return model with
            {
                KnowledgeModels = [.. model.KnowledgeModels.Select(k => k.Name == name ? k with { Name = edited.Name, Body = edited } : k)],
            };
        }

        if (model.Decisions.Count == 1)
        {
            return model with { Name = edited.Name, Decisions = [edited] };
        }

        return model with
        {
            Decisions = [.. model.Decisions.Select(d => d.Name == name ? edited : d)],
            MainDecision = model.MainDecision == name ? edited.Name : model.MainDecision,
        };
    }

    public void AddRule(int? after = null)
    {
        var rule = new RuleRow
        {
            Id = NewId("rule"),
            Inputs = [.. Inputs.Select(_ => "-")],
            Outputs = [.. Outputs.Select(_ => "")],
            Annotations = [.. AnnotationColumns.Select(_ => "")],
        };
        Rules.Insert(after is { } index ? index + 1 : Rules.Count, rule);
    }

    public void DuplicateRule(int index)
    {
        var source = Rules[index];
        Rules.Insert(index + 1, new RuleRow { Id = NewId("rule"), Inputs = [.. source.Inputs], Outputs = [.. source.Outputs], Annotations = [.. source.Annotations] });
    }

    public void DeleteRule(int index) => Rules.RemoveAt(index);

    public void MoveRule(int index, int by)
    {
        var target = index + by;
        if (target < 0 || target >= Rules.Count)
        {
            return;
        }

        (Rules[index], Rules[target]) = (Rules[target], Rules[index]);
    }

    public void AddInput()
    {
        var id = NewId("input");
        Inputs.Add(new InputColumn { Id = id, ExpressionId = id + "_expr", Expression = $"input{Inputs.Count + 1}", TypeRef = FeelType.String });
        Rules.ForEach(r => r.Inputs.Add("-"));
    }

    public void RemoveInput(int index)
    {
        Inputs.RemoveAt(index);
        Rules.ForEach(r => r.Inputs.RemoveAt(index));
    }

    public void AddOutput()
    {
        Outputs.Add(new OutputColumn { Id = NewId("output"), Name = $"output{Outputs.Count + 1}", TypeRef = FeelType.String });
        Rules.ForEach(r => r.Outputs.Add(""));
    }

    public void RemoveOutput(int index)
    {
        Outputs.RemoveAt(index);
        Rules.ForEach(r => r.Outputs.RemoveAt(index));
    }

    public void AddAnnotation()
    {
        AnnotationColumns.Add(AnnotationColumns.Count == 0 ? "Annotation" : $"Annotation {AnnotationColumns.Count + 1}");
        Rules.ForEach(r => r.Annotations.Add(""));
    }

    public void RemoveAnnotation(int index)
    {
        AnnotationColumns.RemoveAt(index);
        Rules.ForEach(r => r.Annotations.RemoveAt(index));
    }

    public void MoveColumn(CellArea area, int index, int by)
    {
        switch (area)
        {
            case CellArea.Input when Swap(Inputs, index, by):
                Rules.ForEach(r => Swap(r.Inputs, index, by));
                break;
            case CellArea.Output when Swap(Outputs, index, by):
                Rules.ForEach(r => Swap(r.Outputs, index, by));
                break;
            case CellArea.Annotation when Swap(AnnotationColumns, index, by):
                Rules.ForEach(r => Swap(r.Annotations, index, by));
                break;
        }
    }

    public string GetCell(CellRef cell) => cell.Area switch
    {
        CellArea.Input => Rules[cell.Row].Inputs[cell.Column],
        CellArea.Output => Rules[cell.Row].Outputs[cell.Column],
        _ => Rules[cell.Row].Annotations[cell.Column],
    };

    public void SetCell(CellRef cell, string value)
    {
        var list = cell.Area switch
        {
            CellArea.Input => Rules[cell.Row].Inputs,
            CellArea.Output => Rules[cell.Row].Outputs,
            _ => Rules[cell.Row].Annotations,
        };
        list[cell.Column] = value;
    }

    /// <summary>Splits "\"A\", \"B, C\", 3" into its literals, respecting commas inside quotes.</summary>
    public static IEnumerable<string> SplitLiterals(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            yield break;
        }

        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"' && (i == 0 || text[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (text[i] == ',' && !quoted)
            {
                var part = text[start..i].Trim();
                if (part.Length > 0)
                {
                    yield return part;
                }

                start = i + 1;
            }
        }

        var last = text[start..].Trim();
        if (last.Length > 0)
        {
            yield return last;
        }
    }

    private static bool Swap<T>(List<T> list, int index, int by)
    {
        var target = index + by;
        if (index < 0 || target < 0 || index >= list.Count || target >= list.Count)
        {
            return false;
        }

        (list[index], list[target]) = (list[target], list[index]);
        return true;
    }

    private static List<string> Pad(EquatableArray<string> values, int count, string filler)
    {
        var list = values.ToList();
        while (list.Count < count)
        {
            list.Add(filler);
        }

        return list.Count > count ? list[..count] : list;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
