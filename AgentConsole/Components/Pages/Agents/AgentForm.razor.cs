using AgentConsole.Engine;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Tools;
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

    /// <summary>The registered tools a grant may name (the registry's catalogue; built-ins are filtered out here).</summary>
    [Parameter] public IReadOnlyList<ToolDefinition> Catalogue { get; set; } = [];

    /// <summary>The configured model providers; the form saves the chosen provider's name.</summary>
    [Parameter] public IReadOnlyList<ModelProvider> Providers { get; set; } = [];

    [Parameter] public string? DefaultProvider { get; set; }

    /// <summary>The configured <c>AgentConsole:Redaction:MaxCustomPatterns</c>.</summary>
    [Parameter] public int MaxRedactionPatterns { get; set; } = Engine.Runs.Redaction.RedactionOptions.DefaultMaxCustomPatterns;

    /// <summary>MudSelect cannot select null, so "use the default" is the empty string here and null in the definition.</summary>
    private const string DefaultValue = "";

    private string ModelValue => Definition.Model ?? DefaultValue;

    /// <summary>The threshold as people read it (95 %), stored as the pass rate (0.95).</summary>
    private double ThresholdPercent
    {
        get => Math.Round(Definition.PublishThreshold * 100, 1);
        set => Definition.PublishThreshold = Math.Round(value, 1) / 100;
    }

    /// <summary>A provider the agent names that configuration no longer has; kept selectable so saving never drops it silently.</summary>
    private string? UnknownModel => string.IsNullOrWhiteSpace(Definition.Model)
        || Providers.Any(p => string.Equals(p.Name, Definition.Model, StringComparison.OrdinalIgnoreCase)) ? null : Definition.Model;

    private string ProviderLabel(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            var fallback = Providers.FirstOrDefault(p => string.Equals(p.Name, DefaultProvider, StringComparison.OrdinalIgnoreCase));
            return fallback is null ? "Default" : $"Default: {Describe(fallback)}";
        }

        var provider = Providers.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        return provider is null ? $"{name} (not in configuration)" : Describe(provider);
    }

    private static string Describe(ModelProvider provider) => provider.IsConfigured ? provider.Label : $"{provider.Label} — not configured";

    private async Task ModelChanged(string? value)
    {
        Definition.Model = string.IsNullOrEmpty(value) ? null : value;
        await Changed();
    }

    private bool Has(string key) => Errors.ContainsKey(key);

    private string? Err(string key) => Errors.TryGetValue(key, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>
    /// MudBlazor 9 re-validates a field on every input and blur and then replaces the Error/ErrorText it was given
    /// with its own verdict, so without a rule of its own a field dropped its message as soon as the user typed in
    /// another one or left it. Each field therefore checks the same rules against the definition it just updated.
    /// </summary>
    private Func<T, string?> Check<T>(string key) => _ =>
        ShowErrors && AgentRules.Validate(Definition, MaxRedactionPatterns).TryGetValue(key, out var messages) ? string.Join(" ", messages) : null;

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

    private async Task AddPattern()
    {
        Definition.RedactionPatterns.Add(new AgentRedactionPattern());
        await Changed();
    }

    private async Task RemovePattern(int index)
    {
        Definition.RedactionPatterns.RemoveAt(index);
        await Changed();
    }

    /// <summary>The scopes a grant of this tool may have: read for a tool that reads, write for one that writes.</summary>
    internal static IReadOnlyList<ToolScope> ScopesOf(ToolDefinition tool) => tool.Access == ToolAccess.Read
        ? [ToolScope.Read]
        : tool.SupportsReadScope ? [ToolScope.Read, ToolScope.Write] : [ToolScope.Write];

    private ToolDefinition? Find(string? key) => Catalogue.FirstOrDefault(t => t.Key == key);

    private static IReadOnlyList<ToolScope> ScopeOptions(ToolDefinition? tool, ToolGrant grant) => tool is null ? [grant.Scope] : ScopesOf(tool);

    /// <summary>Tools a grant row may pick: those not granted yet, plus the row's own.</summary>
    private IEnumerable<ToolDefinition> Grantable(string? current) =>
        Catalogue.Where(t => !t.BuiltIn && (t.Key == current || !Definition.Tools.Exists(g => g.Tool == t.Key)));

    private string ToolLabel(string? key) => string.IsNullOrEmpty(key)
        ? "Pick a tool"
        : Find(key) is { } tool ? $"{tool.Title} ({tool.Key})" : $"{key} (unknown)";

    private async Task ToolChanged(int index, string key)
    {
        var grant = Definition.Tools[index];
        grant.Tool = key;
        // A new tool starts at its least privilege: read when it can read.
        if (Find(key) is { } tool)
        {
            grant.Scope = ScopesOf(tool)[0];
        }

        await Changed();
    }

    private async Task ScopeChanged(int index, ToolScope scope)
    {
        Definition.Tools[index].Scope = scope;
        await Changed();
    }

    private async Task AddGrant()
    {
        var tool = Grantable(null).First();
        Definition.Tools.Add(new ToolGrant { Tool = tool.Key, Scope = ScopesOf(tool)[0] });
        await Changed();
    }

    private async Task RemoveGrant(int index)
    {
        Definition.Tools.RemoveAt(index);
        await Changed();
    }

    internal static string Slugify(string name) => Slug.From(name, AgentRules.KeyMaxLength);
}
