using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Escalations;
using Microsoft.AspNetCore.Components;

namespace AgentConsole.Components.Pages.Agents;

/// <summary>
/// The agent editor's escalation policy: the conditions that hand a case to a person (engine routes, the policy's
/// switches, approval-only tools, a confidence threshold), who reviews, the SLA and its default action, and the
/// notification channels. It validates with the agent rules like the rest of the form.
/// </summary>
public sealed partial class EscalationPolicySection
{
    [Parameter, EditorRequired] public AgentDefinition Definition { get; set; } = default!;
    [Parameter] public bool ReadOnly { get; set; }
    [Parameter] public IReadOnlyDictionary<string, string[]> Errors { get; set; } = new Dictionary<string, string[]>();
    [Parameter] public bool ShowErrors { get; set; }
    [Parameter] public int MaxRedactionPatterns { get; set; } = Engine.Runs.Redaction.RedactionOptions.DefaultMaxCustomPatterns;
    [Parameter] public EventCallback DefinitionChanged { get; set; }

    private EscalationPolicy Policy => Definition.Escalation ??= new EscalationPolicy();

    private string ReviewersText => string.Join(", ", Policy.Reviewers);

    private string ChannelsText => string.Join(", ", Policy.Channels);

    private string SlaHelp => Policy.SlaMinutes >= 60 ? $"{TimeSpan.FromMinutes(Policy.SlaMinutes).TotalHours:0.#} h to decide" : "Time to decide";

    internal static string Describe(EscalationDefaultAction action) => action switch
    {
        EscalationDefaultAction.Hold => "Hold and notify reviewers again",
        EscalationDefaultAction.Reject => "Reject",
        EscalationDefaultAction.CancelRun => "Cancel the run",
        _ => "Approve, only if the action is reversible (otherwise hold)",
    };

    private bool Has(string key) => Errors.ContainsKey(key);

    private string? Err(string key) => Errors.TryGetValue(key, out var messages) ? string.Join(" ", messages) : null;

    private Func<T, string?> Check<T>(string key) => _ =>
        ShowErrors && AgentRules.Validate(Definition, MaxRedactionPatterns).TryGetValue(key, out var messages) ? string.Join(" ", messages) : null;

    private Task Changed() => DefinitionChanged.InvokeAsync();

    private static List<string> Split(string? text) =>
        [.. (text ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private async Task ReviewersChanged(string? text)
    {
        Policy.Reviewers = Split(text);
        await Changed();
    }

    private async Task ChannelsChanged(string? text)
    {
        Policy.Channels = Split(text);
        await Changed();
    }

    private async Task ApprovalToolsChanged(IEnumerable<string?>? tools)
    {
        Policy.ApprovalTools = [.. (tools ?? []).OfType<string>()];
        await Changed();
    }

    private async Task RolesChanged(IEnumerable<string?>? roles)
    {
        Policy.ReviewerRoles = [.. (roles ?? []).OfType<string>()];
        await Changed();
    }

    private async Task AddRoute()
    {
        Definition.EngineRoutes.Add(new EngineRoute());
        await Changed();
    }

    private async Task RemoveRoute(int index)
    {
        Definition.EngineRoutes.RemoveAt(index);
        await Changed();
    }
}
