using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AgentConsole.Access;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.DecisionTables.Analysis;
using Analysis = AgentConsole.Engine.DecisionTables.Analysis;
using FindingSeverity = AgentConsole.Components.Pages.DecisionTables.FindingSeverity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;

namespace AgentConsole.Components.Pages.DecisionTables;

/// <summary>
/// The decision-table editor. Edits stay in <see cref="TableEditState"/> until saved as the draft, so an error
/// (a conflict, a failed publish) never loses them; every change re-validates cells and re-runs the analysis.
/// </summary>
public sealed partial class DecisionEditorPage : IDisposable
{
    private LoadedDecision? _loaded;
    private TableEditState? _state;
    private string? _literal;

    // A model that is more than one table: the node open in the editor, the model it was opened from (with the edits made
    // to other nodes so far), the graph of the model on screen and the Test tab's last run.
    private string _open = "";
    private DmnModel? _working;
    private DmnGraph? _graph;
    private ModelTestRun? _modelResult;
    private DmnModel? _testModel;
    private bool _loading = true;
    private bool _canEdit;
    private bool _isAdmin;

    // The publish gate's refusal (an agent's decision needs a passing evaluation of the draft), and an Admin's override reason.
    private Engine.Evaluations.PublishGateResult? _gate;
    private string? _overrideReason;
    private bool _dirty;
    private bool _busy;
    private bool _conflict;
    private string? _problem;
    private string? _notice;
    private int _tab;
    private Dictionary<CellRef, string> _cellErrors = [];
    private IReadOnlyList<EditorFinding> _findings = [];
    private bool _analysisPartial;
    private IReadOnlyList<PartialCell> _analysisPartialCells = [];
    private TimeSpan _analysisDuration;
    private EditorFinding? _selectedFinding;
    private HashSet<CellRef> _highlight = [];
    private HashSet<int> _matchedRows = [];
    private TestPanel.TestRun? _testResult;
    private IReadOnlyList<DecisionTestCase> _testCases = [];
    private IReadOnlyList<DecisionTestOutcome>? _outcomes;
    private IReadOnlyList<DecisionChange>? _diff;
    private string? _diffTitle;
    private CancellationTokenSource? _analysisDelay;

    [Parameter] public string Key { get; set; } = "";

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private DecisionCatalog Catalog { get; set; } = default!;
    [Inject] private DecisionWorkbench Workbench { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ILogger<DecisionEditorPage> Logger { get; set; } = default!;

    private string ExportUrl => $"/api/v1/decisions/{Key}/dmn?version={_loaded?.Version.Number}";

    // Something to publish: unsaved edits (saved first) or a saved draft.
    private bool CanPublish => _dirty || _loaded?.Version.Status == DecisionVersionStatus.Draft;

    private string Subtitle => _loaded is null ? "" :
        $"Key {_loaded.Decision.Key} · {(_loaded.Model.HasGraph() ? _loaded.Model.Describe() + " · " : "")}{(_loaded.Decision.AgentKey is { } agent ? $"used by agent {agent} · " : "")}v{_loaded.Version.Number} saved {_loaded.Version.UpdatedAt:yyyy-MM-dd HH:mm} by {_loaded.Version.UpdatedBy}";

    protected override async Task OnParametersSetAsync()
    {
        _canEdit = (await Authorization.AuthorizeAsync((await AuthState).User, Policies.EditDecisions)).Succeeded;
        _isAdmin = (await Authorization.AuthorizeAsync((await AuthState).User, Policies.Admin)).Succeeded;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        _loaded = await Catalog.LoadAsync(Key);
        _dirty = false;
        _conflict = false;
        _problem = null;
        _outcomes = null;
        _diff = null;
        _testResult = null;
        _modelResult = null;
        _matchedRows = [];
        _highlight = [];
        if (_loaded is not null)
        {
            Open(_loaded.Model, _loaded.Definition.Name);
            _graph = _loaded.Model.HasGraph() ? ImplicitInputData.Declare(_loaded.Model).Graph() : null;
            _testCases = await Catalog.ListTestCasesAsync(Key);
            Validate();
        }

        _loading = false;
    }

    private Task ReloadAsync() => LoadAsync();

    private DmnModel CurrentModel() => _state?.ToModel()
        ?? TableEditState.Replace(_working!, _open, ((LiteralExpressionDecision)_working!.FindDecision(_open)!) with { Expression = _literal ?? "" });

    /// <summary>Opens one decision (or knowledge model with a table) of <paramref name="model"/> in the grid or the expression box.</summary>
    private void Open(DmnModel model, string name)
    {
        _working = model;
        _open = name;
        _state = TableEditState.TableOf(model, name) is not null ? TableEditState.From(model, name) : null;
        _literal = _state is null ? (model.FindDecision(name) as LiteralExpressionDecision)?.Expression : null;
    }

    /// <summary>The graph's click: the edits so far stay in the model, and the chosen node opens.</summary>
    private void OpenNode(string name)
    {
        if (name == _open)
        {
            return;
        }

        Open(CurrentModel(), name);
        _selectedFinding = null;
        _highlight = [];
        _matchedRows = RowsOf(_modelResult);
        Validate();
    }

    private void EvaluateModel((string Decision, IReadOnlyDictionary<string, object?> Inputs) request)
    {
        var result = DecisionWorkbench.Evaluate(CurrentModel(), request.Inputs, trace: true, decision: request.Decision);
        _modelResult = ModelTestRun.From(result);
        _matchedRows = RowsOf(_modelResult);
    }

    /// <summary>The open table's rows that matched in a model evaluation: as the chosen decision or as one it required.</summary>
    private HashSet<int> RowsOf(ModelTestRun? run)
    {
        var step = run is null ? null : run.Result.Decision == _open ? run.Result : run.Intermediates.FirstOrDefault(i => i.Decision == _open);
        return step is null || _state is null ? [] : [.. _state.Rules.Select((r, i) => (r.Id, i)).Where(r => step.MatchedRules.Contains(r.Id)).Select(r => r.i)];
    }

    private void OnNameChanged(string name)
    {
        _state!.Name = name;
        MarkChanged(null);
    }

    private void OnLiteralChanged(string text)
    {
        _literal = text;
        MarkChanged(null);
    }

    private Task OnGridChangedAsync(CellRef? cell)
    {
        MarkChanged(cell);
        return Task.CompletedTask;
    }

    private void MarkChanged(CellRef? cell)
    {
        _dirty = true;
        _matchedRows = [];
        if (cell is { } c)
        {
            ValidateCell(c);
            // Cell syntax findings follow the cell at once; the rest waits for the pause below.
            _findings = [.. SyntaxFindings(), .. _findings.Where(f => f.Kind != SyntaxKind)];
        }

        // Whole-table checks wait for a pause in typing.
        _analysisDelay?.Cancel();
        _analysisDelay?.Dispose();
        _analysisDelay = new CancellationTokenSource();
        var token = _analysisDelay.Token;
        _ = Task.Delay(250, token).ContinueWith(async _ =>
        {
            if (!token.IsCancellationRequested)
            {
                await InvokeAsync(() =>
                {
                    Validate();
                    StateHasChanged();
                });
            }
        }, TaskScheduler.Default);
    }

    private FeelNames Names() => new(_state?.Inputs.Select(i => i.Expression.Trim()).Where(n => n.Length > 0) ?? []);

    private void ValidateCell(CellRef cell)
    {
        _cellErrors.Remove(cell);
        if (_state is null || cell.Area == CellArea.Annotation)
        {
            return;
        }

        var text = _state.GetCell(cell);
        if (cell.Area == CellArea.Output && string.IsNullOrWhiteSpace(text))
        {
            _cellErrors[cell] = "An output entry is required.";
            return;
        }

        var error = cell.Area == CellArea.Input
            ? FeelParser.ParseUnaryTests(text, Names()).Error
            : FeelParser.ParseExpression(text, Names()).Error;
        if (error is not null)
        {
            _cellErrors[cell] = $"{error.Message} (column {error.Column})";
        }
    }

    /// <summary>Parses every cell, compiles the table and analyses it; results drive the grid marks and the Analysis tab.</summary>
    private void Validate()
    {
        var watch = Stopwatch.StartNew();
        var findings = new List<EditorFinding>();
        _cellErrors = [];
        if (_state is not null)
        {
            for (var row = 0; row < _state.Rules.Count; row++)
            {
                for (var c = 0; c < _state.Inputs.Count; c++)
                {
                    ValidateCell(new CellRef(row, CellArea.Input, c));
                }

                for (var c = 0; c < _state.Outputs.Count; c++)
                {
                    ValidateCell(new CellRef(row, CellArea.Output, c));
                }
            }

            findings.AddRange(SyntaxFindings());
        }

        try
        {
            var model = ImplicitInputData.Declare(CurrentModel());
            var compilation = CompiledDmnModel.Compile(model);
            // Cell syntax errors are already listed from the cells themselves.
            foreach (var diagnostic in compilation.Diagnostics.Where(d => d.Syntax is null || d.Part is not (DecisionPart.InputEntry or DecisionPart.OutputEntry)
                || (d.DecisionName is not null && d.DecisionName != _state?.Name)))
            {
                // Another decision's cells are not on screen; its findings are listed without marks.
                var own = diagnostic.DecisionName is null || diagnostic.DecisionName == _state?.Name;
                findings.Add(new EditorFinding(
                    diagnostic.Severity == DiagnosticSeverity.Error ? FindingSeverity.Error : FindingSeverity.Warning,
                    diagnostic.Part.ToString(), diagnostic.ToString(), own ? CellsOf(diagnostic) : []));
            }

            if (_graph is not null)
            {
                _graph = model.Graph();
                _testModel = model;
            }

            findings.AddRange(Analyse(model));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A half-edited table must never break the editor; say what failed and keep the edits.
            DecisionEditorLog.AnalysisFailed(Logger, ex, Key);
            findings.Add(new EditorFinding(FindingSeverity.Warning, "Analysis", "The table could not be analysed in its current state: " + ex.Message, []));
        }

        _findings = findings;
        _analysisDuration = watch.Elapsed;
        if (_selectedFinding is not null && !_findings.Contains(_selectedFinding))
        {
            _selectedFinding = null;
            _highlight = [];
        }
    }

    private const string SyntaxKind = "Syntax";

    private IEnumerable<EditorFinding> SyntaxFindings() =>
        _cellErrors.OrderBy(e => e.Key.Row).ThenBy(e => e.Key.Area).ThenBy(e => e.Key.Column)
            .Select(e => new EditorFinding(FindingSeverity.Error, SyntaxKind, $"Rule {e.Key.Row + 1}, {ColumnName(e.Key)}: {e.Value}", [e.Key]));

    /// <summary>Gaps, overlaps, unreachable rules, values outside the allowed ones and type errors, from the exact analysis.</summary>
    private IEnumerable<EditorFinding> Analyse(DmnModel model)
    {
        _analysisPartial = false;
        _analysisPartialCells = [];
        if (DecisionWorkbench.Analyze(model, _state?.Name ?? _open) is not { } analysis)
        {
            return [];
        }

        _analysisPartial = analysis.IsPartial;
        _analysisPartialCells = analysis.PartialCells;
        return analysis.Findings
            .Where(f => f.Kind != FindingKind.ParseError) // the cells already show these
            .Select(f => new EditorFinding(
                f.Severity switch { Analysis.FindingSeverity.Error => FindingSeverity.Error, Analysis.FindingSeverity.Warning => FindingSeverity.Warning, _ => FindingSeverity.Info },
                Describe(f.Kind),
                f.Message,
                [.. f.Cells.Select(ToCell).OfType<CellRef>()],
                f.Example is null ? null : string.Join(", ", f.Example.Select(e => $"{e.Key} = {Format(e.Value)}"))));
    }

    private static string Describe(FindingKind kind) => kind switch
    {
        FindingKind.Gap => "Gap",
        FindingKind.Overlap => "Overlap",
        FindingKind.Unreachable => "Unreachable rule",
        FindingKind.OutsideAllowedValues => "Outside allowed values",
        FindingKind.TypeError => "Type error",
        FindingKind.Partial => "Partial analysis",
        _ => kind.ToString(),
    };

    private static CellRef? ToCell(FindingCell cell) => cell switch
    {
        { Kind: FindingCellKind.InputEntry, RuleIndex: { } row } => new CellRef(row, CellArea.Input, cell.Column),
        { Kind: FindingCellKind.OutputEntry, RuleIndex: { } row } => new CellRef(row, CellArea.Output, cell.Column),
        { Kind: FindingCellKind.InputExpression or FindingCellKind.InputValues } => new CellRef(-1, CellArea.Input, cell.Column),
        { Kind: FindingCellKind.OutputValues } => new CellRef(-1, CellArea.Output, cell.Column),
        _ => null,
    };

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static IReadOnlyList<CellRef> CellsOf(DecisionDiagnostic d) => d switch
    {
        { RuleIndex: { } row, ColumnIndex: { } column, Part: DecisionPart.InputEntry } => [new CellRef(row, CellArea.Input, column)],
        { RuleIndex: { } row, ColumnIndex: { } column, Part: DecisionPart.OutputEntry } => [new CellRef(row, CellArea.Output, column)],
        _ => [],
    };

    private string ColumnName(CellRef cell) => cell.Area switch
    {
        CellArea.Input => _state!.Inputs[cell.Column].Title,
        CellArea.Output => _state!.Outputs[cell.Column].Title,
        _ => _state!.AnnotationColumns[cell.Column],
    };

    private void SelectFinding(EditorFinding finding)
    {
        _selectedFinding = finding;
        _highlight = [.. finding.Cells];
    }

    private async Task<bool> SaveDraftAsync()
    {
        _busy = true;
        _problem = null;
        _conflict = false;
        try
        {
            var actor = (await AuthState).User.ActorName();
            var revision = _loaded!.Version.Status == DecisionVersionStatus.Draft ? _loaded.Version.Revision : (int?)null;
            var result = await Catalog.SaveDraftAsync(Key, CurrentModel(), revision, actor);
            if (!result.Succeeded)
            {
                _conflict = result.Outcome == DecisionChangeOutcome.Conflict;
                _problem = result.Message;
                return false;
            }

            _loaded = await Catalog.LoadAsync(Key);
            _dirty = false;
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DecisionEditorLog.SaveFailed(Logger, ex, Key);
            _problem = "Saving failed unexpectedly. Your edits are still here; try again.";
            return false;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SaveAsync()
    {
        if (await SaveDraftAsync())
        {
            _notice = $"Draft v{_loaded!.Version.Number} saved.";
        }
    }

    private Task PublishAsync() => PublishAsync(null);

    private Task PublishWithOverrideAsync()
    {
        if (string.IsNullOrWhiteSpace(_overrideReason))
        {
            _problem = "Write why this version is published without a passing evaluation; the reason is audited.";
            return Task.CompletedTask;
        }

        return PublishAsync(_overrideReason.Trim());
    }

    private async Task PublishAsync(string? overrideReason)
    {
        _notice = null;
        _gate = null;
        if (overrideReason is not null && !_isAdmin)
        {
            return;
        }

        if (_dirty && !await SaveDraftAsync())
        {
            return;
        }

        _busy = true;
        try
        {
            var (change, tests) = await Workbench.PublishAsync(Key, (await AuthState).User.ActorName(), overrideReason, CancellationToken.None);
            if (change.Gate is { } gate)
            {
                _gate = gate;
                return;
            }

            if (!change.Succeeded)
            {
                _problem = change.Message;
                if (tests.Count > 0)
                {
                    _outcomes = tests;
                    _tab = 2;
                }

                return;
            }

            await LoadAsync();
            _notice = $"v{_loaded!.Version.Number} published{(tests.Count > 0 ? $" after all {tests.Count} test case(s) passed" : "")}"
                + $"{(overrideReason is null ? "" : " (publish gate overridden; the reason is in the audit log)")}.";
            _overrideReason = null;
        }
        finally
        {
            _busy = false;
        }
    }

    private void EvaluateAsync(IReadOnlyDictionary<string, string?> raw)
    {
        if (_state is null)
        {
            return;
        }

        var inputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var column in _state.Inputs)
        {
            var text = raw.GetValueOrDefault(column.Expression);
            if (!TryConvert(text, column.TypeRef, out var value, out var error))
            {
                _testResult = new TestPanel.TestRun("", [], false, $"{column.Title}: {error}");
                _matchedRows = [];
                return;
            }

            inputs[column.Expression] = value;
        }

        var result = DecisionWorkbench.Evaluate(_state.ToModel(), inputs, trace: true);
        _matchedRows = [.. result.MatchedRuleIndexes];
        _testResult = new TestPanel.TestRun(
            DecisionValues.ToJson(result.Value)?.ToJsonString(DecisionJson.Options) ?? "null",
            [.. result.MatchedRuleIndexes], result.UsedDefaultOutput, result.Error?.Message);
    }

    internal static bool TryConvert(string? text, FeelType? type, out object? value, out string? error)
    {
        error = null;
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        text = text.Trim();
        switch (type)
        {
            case FeelType.Number:
                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    value = number;
                    return true;
                }

                error = $"'{text}' is not a number.";
                return false;
            case FeelType.Boolean:
                if (bool.TryParse(text, out var flag))
                {
                    value = flag;
                    return true;
                }

                error = $"'{text}' is not true or false.";
                return false;
            default:
                value = text;
                return true;
        }
    }

    private async Task SaveTestCaseAsync((string Name, IReadOnlyDictionary<string, string?> Inputs, string Expected) test)
    {
        try
        {
            using var _ = JsonDocument.Parse(test.Expected);
        }
        catch (JsonException ex)
        {
            _problem = $"The expected result is not valid JSON: {ex.Message}";
            return;
        }

        var inputs = new Dictionary<string, object?>();
        foreach (var column in _state!.Inputs)
        {
            if (TryConvert(test.Inputs.GetValueOrDefault(column.Expression), column.TypeRef, out var value, out _))
            {
                inputs[column.Expression] = value;
            }
        }

        await Catalog.AddTestCaseAsync(Key, test.Name, JsonSerializer.Serialize(inputs, DecisionJson.Options), test.Expected, (await AuthState).User.ActorName());
        _testCases = await Catalog.ListTestCasesAsync(Key);
        _outcomes = null;
        _notice = $"Test case “{test.Name}” saved.";
    }

    private void RunAllTests() => _outcomes = DecisionWorkbench.RunTests(CurrentModel(), _testCases);

    private async Task DeleteTestCaseAsync(DecisionTestCase test)
    {
        await Catalog.DeleteTestCaseAsync(Key, test.Id, (await AuthState).User.ActorName());
        _testCases = await Catalog.ListTestCasesAsync(Key);
        _outcomes = null;
    }

    private async Task CompareAsync(DecisionVersion version)
    {
        var other = await Catalog.LoadAsync(Key, version.Number.ToString(CultureInfo.InvariantCulture));
        if (other is null)
        {
            return;
        }

        _diff = DecisionDiff.Compare(other.Model, CurrentModel());
        _diffTitle = $"From v{version.Number} ({version.Status}) to the table on screen";
    }

    private async Task RollbackAsync(DecisionVersion version)
    {
        if (!await JS.InvokeAsync<bool>("confirm", $"Publish v{version.Number} again? The currently published version will be retired."))
        {
            return;
        }

        var result = await Catalog.RollbackAsync(Key, version.Number, (await AuthState).User.ActorName());
        if (!result.Succeeded)
        {
            _problem = result.Message;
            return;
        }

        var keepEdits = _dirty;
        if (!keepEdits)
        {
            await LoadAsync();
        }
        else
        {
            _loaded = await Catalog.LoadAsync(Key);
        }

        _notice = $"Rolled back: v{version.Number} is published again.";
    }

    private async Task ConfirmLeaveAsync(LocationChangingContext context)
    {
        if (_dirty && !await JS.InvokeAsync<bool>("confirm", "You have unsaved changes in this decision table. Leave without saving?"))
        {
            context.PreventNavigation();
        }
    }

    public void Dispose()
    {
        _analysisDelay?.Cancel();
        _analysisDelay?.Dispose();
    }
}

internal static partial class DecisionEditorLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Saving decision {Key} failed")]
    public static partial void SaveFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analysing decision {Key} failed")]
    public static partial void AnalysisFailed(ILogger logger, Exception exception, string key);
}
