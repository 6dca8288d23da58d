using AgentConsole.Engine.Evaluations;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AgentConsole.Components.Pages.Tests;

/// <summary>
/// Adds or edits one case. The engine validates (the same rules as the API and imports) and its messages appear at
/// their fields; what the owner typed is never replaced. Closes with the saved case.
/// </summary>
public sealed partial class TestCaseDialog
{
    private static readonly char[] ListSeparators = [',', '\n'];
    private TestCaseEdit _edit = new();
    private Guid _setId;
    private string? _mustCall;
    private string? _mustNotCall;
    private string? _mustEscalate;
    private string? _outputContains;
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private string? _message;
    private bool _saving;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter] public string Title { get; set; } = "Test case";
    [Parameter] public string? Intro { get; set; }
    [Parameter] public TestCaseEdit? Initial { get; set; }

    /// <summary>The sets to choose from (empty: the caller's set is fixed) and the one preselected.</summary>
    [Parameter] public IReadOnlyList<TestSetSummary> Sets { get; set; } = [];
    [Parameter] public Guid SetId { get; set; }

    /// <summary>Saves into the chosen set; the page supplies it so the dialog needs no engine service of its own.</summary>
    [Parameter, EditorRequired] public Func<Guid, TestCaseEdit, Task<TestSetChange>> Save { get; set; } = default!;

    protected override void OnInitialized()
    {
        var initial = Initial ?? new TestCaseEdit { InputJson = "{\n}" };
        _edit = new TestCaseEdit
        {
            Name = initial.Name,
            Kind = initial.Kind,
            InputJson = TestCaseText.Indent(initial.InputJson),
            ExpectedDecisionsJson = initial.ExpectedDecisionsJson,
            ExpectRejected = initial.ExpectRejected,
            Notes = initial.Notes,
            SourceRunId = initial.SourceRunId,
        };
        _mustCall = string.Join(", ", initial.MustCall);
        _mustNotCall = string.Join(", ", initial.MustNotCall);
        _mustEscalate = initial.MustEscalate switch { true => "yes", false => "no", null => "" };
        _outputContains = string.Join('\n', initial.OutputContains);
        _setId = SetId;
    }

    private bool Has(string field) => _errors.ContainsKey(field);

    private string? ErrorOf(string field) => _errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    private async Task SaveAsync()
    {
        _edit.MustCall = Split(_mustCall, ListSeparators);
        _edit.MustNotCall = Split(_mustNotCall, ListSeparators);
        _edit.OutputContains = Split(_outputContains, ['\n']);
        _edit.MustEscalate = _mustEscalate switch { "yes" => true, "no" => false, _ => null };
        _saving = true;
        try
        {
            var result = await Save(_setId, _edit);
            if (result.Succeeded)
            {
                Dialog.Close(DialogResult.Ok(result.Case));
                return;
            }

            _errors = result.Errors;
            // Errors without a field of their own (a full set, "expects nothing") are shown under the form.
            _message = result.Outcome == TestSetChangeOutcome.Invalid
                ? string.Join(" ", result.Errors.Where(e => e.Key is TestCaseValidation.Expectations || !Fields.Contains(e.Key)).SelectMany(e => e.Value)) is { Length: > 0 } rest ? rest : null
                : result.Message;
            if (_errors.ContainsKey(TestCaseValidation.Name) && _errors[TestCaseValidation.Name].Any(m => m.Contains("set is full", StringComparison.Ordinal)))
            {
                _message = ErrorOf(TestCaseValidation.Name);
            }
        }
        finally
        {
            _saving = false;
        }
    }

    private static readonly HashSet<string> Fields =
    [
        TestCaseValidation.Name, TestCaseValidation.Kind, TestCaseValidation.Input, TestCaseValidation.ExpectedDecisions, TestCaseValidation.MustCall,
        TestCaseValidation.MustNotCall, TestCaseValidation.OutputContains, TestCaseValidation.Notes,
    ];

    /// <summary>Blank lines in the output texts are dropped here: in a text box they are layout, not an empty expectation.</summary>
    private static List<string> Split(string? text, char[] separators) =>
        [.. (text ?? "").Split(separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private void Cancel() => Dialog.Cancel();
}
