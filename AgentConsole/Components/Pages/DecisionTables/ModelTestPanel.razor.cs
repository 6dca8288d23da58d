using System.Text.Json;
using AgentConsole.Engine.DecisionTables;
using Microsoft.AspNetCore.Components;

namespace AgentConsole.Components.Pages.DecisionTables;

/// <summary>
/// The Test tab of a model that is more than one table: a value per input data (a record or list as JSON, checked as it
/// is typed), the decision to evaluate, and its result with the result of every decision it required.
/// </summary>
public sealed partial class ModelTestPanel
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private string? _decision;

    [Parameter, EditorRequired] public DmnModel Model { get; set; } = default!;

    [Parameter] public ModelTestRun? Result { get; set; }

    [Parameter] public EventCallback<(string Decision, IReadOnlyDictionary<string, object?> Inputs)> OnEvaluate { get; set; }

    private string Decision => _decision is not null && Model.FindDecision(_decision) is not null ? _decision : Model.Main().Name;

    /// <summary>A record or list (by its item definition), or an untyped input, takes JSON; simple types take plain text.</summary>
    internal static bool TakesJson(InputData input) => input.TypeName is not null || input.TypeRef is null;

    private static string Hint(InputData input) => input.TypeName is { } type
        ? $"JSON of type {type}, e.g. {{\"name\": value}}"
        : input.TypeRef is null ? "text, a number, or JSON for a record or list; empty = null" : "empty = null";

    private void OnChanged(InputData input, string? text)
    {
        _values[input.Name] = text;
        if (TryRead(input, text, out _, out var error))
        {
            _errors.Remove(input.Name);
        }
        else
        {
            _errors[input.Name] = error!;
        }
    }

    /// <summary>Reads one input's text: JSON objects and arrays for records and lists, else the simple type's value.</summary>
    internal static bool TryRead(InputData input, string? text, out object? value, out string? error)
    {
        value = null;
        error = null;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return true;
        }

        if (input.TypeName is not null || (input.TypeRef is null && trimmed[0] is '{' or '['))
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed);
                value = document.RootElement.Clone();
                return true;
            }
            catch (JsonException ex)
            {
                error = $"Not valid JSON: {ex.Message.Split(" Path:", 2)[0]}";
                return false;
            }
        }

        return DecisionEditorPage.TryConvert(trimmed, input.TypeRef, out value, out error);
    }

    private Task EvaluateAsync()
    {
        var inputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var input in Model.InputData)
        {
            if (!TryRead(input, _values.GetValueOrDefault(input.Name), out var value, out var error))
            {
                _errors[input.Name] = error!;
                return Task.CompletedTask;
            }

            inputs[input.Name] = value;
        }

        return OnEvaluate.InvokeAsync((Decision, inputs));
    }
}
