using System.Text.Json.Nodes;
using AgentConsole.Engine.Runs;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AgentConsole.Components.Pages.Agents;

/// <summary>
/// "Run now": edit a JSON input and start a run. The JSON is checked here first (with line and column); the
/// engine's per-field verdict comes back into the same dialog, and the text the user typed is never replaced.
/// The dialog closes with the new run's id.
/// </summary>
public sealed partial class RunNowDialog
{
    private string? _text;
    private RunInputParse? _parse;
    private string? _message;
    private IReadOnlyList<KeyValuePair<string, string[]>> _fieldErrors = [];
    private bool _starting;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired] public string AgentName { get; set; } = "";
    [Parameter] public string InitialJson { get; set; } = "{}";

    /// <summary>Starts the run; the page supplies it so the dialog needs no engine service of its own.</summary>
    [Parameter, EditorRequired] public Func<JsonObject, Task<RunCommandResult>> Start { get; set; } = default!;

    protected override void OnInitialized() => _text = InitialJson;

    /// <summary>Once the user has seen a syntax error, re-check as they type so it clears the moment it is fixed.</summary>
    private void OnEdited()
    {
        if (_parse?.Error is not null)
        {
            _parse = RunInput.Parse(_text);
        }
    }

    private async Task StartAsync()
    {
        _parse = RunInput.Parse(_text);
        _message = null;
        _fieldErrors = [];
        if (_parse.Input is not { } input)
        {
            return;
        }

        _starting = true;
        try
        {
            var result = await Start(input);
            if (result.Outcome == RunCommandOutcome.Done && result.RunId is { } id)
            {
                Dialog.Close(DialogResult.Ok(id));
                return;
            }

            _message = result.Message ?? "The run could not start.";
            _fieldErrors = [.. (result.Errors ?? new Dictionary<string, string[]>())
                .Select(e => KeyValuePair.Create(e.Key.StartsWith("input.", StringComparison.Ordinal) ? e.Key["input.".Length..] : e.Key, e.Value))];
        }
        finally
        {
            _starting = false;
        }
    }

    private void Cancel() => Dialog.Cancel();
}
