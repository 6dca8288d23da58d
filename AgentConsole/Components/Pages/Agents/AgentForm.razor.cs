using AgentConsole.Engine;
using AgentConsole.Engine.Agents;
using Microsoft.AspNetCore.Components;

namespace AgentConsole.Components.Pages.Agents;

/// <summary>
/// The agent editor's fields. It validates with the same rules as the API as the user types,
/// once they have tried to save, so messages never appear before the user had a chance to fill a field in.
/// </summary>
public sealed partial class AgentForm
{
    private bool _keyEdited;

    [Parameter, EditorRequired] public AgentDefinition Definition { get; set; } = default!;
    [Parameter] public bool IsNew { get; set; }
    [Parameter] public bool ReadOnly { get; set; }

    /// <summary>Errors to show, keyed by camelCase property path; the parent owns them.</summary>
    [Parameter] public IReadOnlyDictionary<string, string[]> Errors { get; set; } = new Dictionary<string, string[]>();

    /// <summary>True once the user has tried to save; from then on each field re-checks itself as it changes.</summary>
    [Parameter] public bool ShowErrors { get; set; }

    [Parameter] public EventCallback DefinitionChanged { get; set; }

    private bool Has(string key) => Errors.ContainsKey(key);

    private string? Err(string key) => Errors.TryGetValue(key, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>
    /// MudBlazor 9 re-validates a field on every input and blur and then replaces the Error/ErrorText it was given
    /// with its own verdict, so without a rule of its own a field dropped its message as soon as the user typed in
    /// another one or left it. Each field therefore checks the same rules against the definition it just updated.
    /// </summary>
    private Func<T, string?> Check<T>(string key) => _ =>
        ShowErrors && AgentRules.Validate(Definition).TryGetValue(key, out var messages) ? string.Join(" ", messages) : null;

    private async Task NameChanged(string value)
    {
        Definition.Name = value;
        if (IsNew && !_keyEdited)
        {
            Definition.Key = Slugify(value);
        }

        await Changed();
    }

    private async Task KeyChanged(string value)
    {
        _keyEdited = true;
        Definition.Key = value;
        await Changed();
    }

    private Task Changed() => DefinitionChanged.InvokeAsync();

    private async Task AddField()
    {
        Definition.InputFields.Add(new AgentInputField());
        await Changed();
    }

    private async Task RemoveField(int index)
    {
        Definition.InputFields.RemoveAt(index);
        await Changed();
    }

    internal static string Slugify(string name) => Slug.From(name, AgentRules.KeyMaxLength);
}
