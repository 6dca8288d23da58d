using AgentConsole.Engine.DecisionTables;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;

namespace AgentConsole.Components.Pages.DecisionTables;

/// <summary>
/// The rules grid, laid out like a DMN modeler: rules as rows, input | output | annotation columns, the hit
/// policy in the corner. Cells are plain inputs (a 50-rule table stays light) that report every keystroke, so
/// the page can validate and re-analyse as the user types.
/// </summary>
public sealed partial class DecisionGrid
{
    private static readonly (string Code, string Name)[] HitPolicies =
    [
        ("U", "Unique"), ("A", "Any"), ("F", "First"), ("P", "Priority"), ("C", "Collect"), ("C+", "Collect sum"),
        ("C<", "Collect min"), ("C>", "Collect max"), ("C#", "Collect count"), ("R", "Rule order"), ("O", "Output order"),
    ];

    private (CellArea Area, int Index)? _selected;

    [Parameter, EditorRequired] public TableEditState State { get; set; } = default!;
    [Parameter] public bool ReadOnly { get; set; }

    /// <summary>Messages for cells that do not parse or check, shown on the cell.</summary>
    [Parameter] public IReadOnlyDictionary<CellRef, string> CellErrors { get; set; } = new Dictionary<CellRef, string>();

    /// <summary>Cells a finding points at; the analysis panel sets these when a finding is clicked.</summary>
    [Parameter] public IReadOnlySet<CellRef> Highlighted { get; set; } = new HashSet<CellRef>();

    /// <summary>Rows the test panel's last evaluation matched.</summary>
    [Parameter] public IReadOnlySet<int> MatchedRows { get; set; } = new HashSet<int>();

    [Parameter] public EventCallback<CellRef?> Changed { get; set; }

    private string HitPolicyCode => DmnText.HitPolicyCode(State.HitPolicy, State.Aggregator);

    private bool IsSelected(CellArea area, int index) => _selected is { } s && s.Area == area && s.Index == index;

    private void SelectColumn(CellArea area, int index) => _selected = IsSelected(area, index) ? null : (area, index);

    /// <summary>Row -1 in <see cref="Highlighted"/> stands for a column's header (its expression and allowed values).</summary>
    private string HeaderHighlight(CellArea area, int index) => Highlighted.Contains(new CellRef(-1, area, index)) ? "dt-highlight" : "";

    private string RowClass(int row) => MatchedRows.Contains(row) ? "dt-matched" : "";

    private RenderFragment Cell(CellRef cell) => builder =>
    {
        var error = CellErrors.GetValueOrDefault(cell);
        var css = "dt-cell dt-" + cell.Area.ToString().ToLowerInvariant()
            + (error is null ? "" : " dt-cell-error")
            + (Highlighted.Contains(cell) ? " dt-highlight" : "");
        builder.OpenElement(0, "td");
        builder.AddAttribute(1, "class", css);
        builder.OpenElement(2, "input");
        builder.AddAttribute(3, "value", State.GetCell(cell));
        builder.AddAttribute(4, "disabled", ReadOnly);
        builder.AddAttribute(5, "aria-label", $"Rule {cell.Row + 1}, {ColumnName(cell)}");
        builder.AddAttribute(6, "title", error ?? "");
        builder.AddAttribute(7, "aria-invalid", error is null ? "false" : "true");
        builder.AddAttribute(8, "data-cell", $"{cell.Row}:{cell.Area.ToString().ToLowerInvariant()}:{cell.Column}");
        builder.AddAttribute(9, "spellcheck", "false");
        builder.AddAttribute(10, "oninput", EventCallback.Factory.Create<ChangeEventArgs>(this, e => OnCellInput(cell, e)));
        builder.CloseElement();
        if (error is not null)
        {
            builder.OpenElement(11, "div");
            builder.AddAttribute(12, "class", "dt-cell-message");
            builder.AddAttribute(13, "data-testid", "cell-error");
            builder.AddContent(14, error);
            builder.CloseElement();
        }

        builder.CloseElement();
    };

    private string ColumnName(CellRef cell) => cell.Area switch
    {
        CellArea.Input => State.Inputs[cell.Column].Title,
        CellArea.Output => State.Outputs[cell.Column].Title,
        _ => State.AnnotationColumns[cell.Column],
    };

    private string ColumnTitle((CellArea Area, int Index) column) => column.Area switch
    {
        CellArea.Input => $"Input column {column.Index + 1}: {State.Inputs[column.Index].Title}",
        CellArea.Output => $"Output column {column.Index + 1}: {State.Outputs[column.Index].Title}",
        _ => $"Annotation column {column.Index + 1}",
    };

    private bool CanRemove((CellArea Area, int Index) column) => column.Area switch
    {
        CellArea.Input => State.Inputs.Count > 1,
        CellArea.Output => State.Outputs.Count > 1,
        _ => true,
    };

    private Task OnCellInput(CellRef cell, ChangeEventArgs e)
    {
        State.SetCell(cell, e.Value?.ToString() ?? "");
        return Changed.InvokeAsync(cell);
    }

    private Task OnHitPolicyChanged(ChangeEventArgs e) => Change(() =>
    {
        var code = e.Value?.ToString() ?? "U";
        if (DmnText.TryParseHitPolicy(code[..1], out var policy))
        {
            State.HitPolicy = policy;
        }

        State.Aggregator = code.Length > 1 && DmnText.TryParseAggregator(code[1..] switch { "+" => "SUM", "<" => "MIN", ">" => "MAX", "#" => "COUNT", _ => "" }, out var aggregator)
            ? aggregator
            : CollectAggregator.None;
    });

    private Task Change(Action change)
    {
        change();
        return Changed.InvokeAsync(null);
    }

    private Task MoveSelected(int by)
    {
        if (_selected is not { } s)
        {
            return Task.CompletedTask;
        }

        var count = s.Area switch { CellArea.Input => State.Inputs.Count, CellArea.Output => State.Outputs.Count, _ => State.AnnotationColumns.Count };
        var target = s.Index + by;
        if (target < 0 || target >= count)
        {
            return Task.CompletedTask;
        }

        _selected = (s.Area, target);
        return Change(() => State.MoveColumn(s.Area, s.Index, by));
    }

    private Task RemoveSelected()
    {
        if (_selected is not { } s)
        {
            return Task.CompletedTask;
        }

        _selected = null;
        return Change(() =>
        {
            switch (s.Area)
            {
                case CellArea.Input:
                    State.RemoveInput(s.Index);
                    break;
                case CellArea.Output:
                    State.RemoveOutput(s.Index);
                    break;
                default:
                    State.RemoveAnnotation(s.Index);
                    break;
            }
        });
    }

    private static string TypeValue(FeelType? type) => DmnText.TypeRefName(type) ?? "";

    private static FeelType? ParseType(object? value) => DmnText.TryParseTypeRef(value?.ToString(), out var type) ? type : null;

    private static readonly RenderFragment TypeOptions = builder =>
    {
        builder.OpenElement(0, "option");
        builder.AddAttribute(1, "value", "");
        builder.AddContent(2, "any");
        builder.CloseElement();
        foreach (var type in (FeelType[])[FeelType.String, FeelType.Number, FeelType.Boolean, FeelType.Date, FeelType.DateTime, FeelType.Time, FeelType.DaysTimeDuration, FeelType.YearsMonthsDuration])
        {
            var name = DmnText.TypeRefName(type);
            builder.OpenElement(3, "option");
            builder.AddAttribute(4, "value", name);
            builder.AddContent(5, name);
            builder.CloseElement();
        }
    };
}
