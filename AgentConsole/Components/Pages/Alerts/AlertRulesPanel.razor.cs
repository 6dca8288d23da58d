using AgentConsole.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Alerts;
using AgentConsole.Engine.Notifications;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentConsole.Components.Pages.Alerts;

/// <summary>The alert rules: a list everyone who reads alerts sees, and an add/edit form for Admins and Owners with each message at its field.</summary>
public sealed partial class AlertRulesPanel
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    private List<AlertRule>? _rules;
    private Dictionary<string, string> _agents = [];
    private Dictionary<string, string> _channels = [];
    private AlertRuleEdit? _edit;
    private Guid? _editingId;
    private IReadOnlyDictionary<string, string[]> _errors = NoErrors;
    private string? _formProblem;
    private bool _saving;

    /// <summary>Whether the user may add, edit and delete rules (Admins and Owners); the server checks again.</summary>
    [Parameter] public bool CanEdit { get; set; }

    [Inject] private AlertRuleCatalog Catalog { get; set; } = default!;
    [Inject] private AgentCatalog Agents { get; set; } = default!;
    [Inject] private NotificationChannels Channels { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private AuthenticationStateProvider AuthState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _agents = (await Agents.ListAsync()).ToDictionary(a => a.Key, a => a.Name, StringComparer.Ordinal);
        _channels = (await Channels.ListAsync()).ToDictionary(c => c.Key, c => c.Name, StringComparer.Ordinal);
        await LoadAsync();
    }

    private async Task LoadAsync() => _rules = [.. await Catalog.ListAsync()];

    private bool Has(string field) => _errors.ContainsKey(field);

    private string? Err(string field) => _errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    private void Add() => Open(null, new AlertRuleEdit { Kind = AlertKind.ErrorRate, Parameters = new AlertParameters { ThresholdPercent = 20, WindowMinutes = 60 } });

    private void Edit(AlertRule rule) => Open(rule.Id, AlertRuleEdit.From(rule));

    private void Open(Guid? id, AlertRuleEdit edit)
    {
        (_editingId, _edit, _errors, _formProblem) = (id, edit, NoErrors, null);
    }

    private void Cancel() => (_editingId, _edit, _errors, _formProblem) = (null, null, NoErrors, null);

    private static void SetChannels(AlertRuleEdit edit, IEnumerable<string>? keys) => edit.Channels = [.. keys ?? []];

    private async Task SaveAsync()
    {
        if (_edit is null || !CanEdit)
        {
            return;
        }

        _saving = true;
        try
        {
            var actor = (await AuthState.GetAuthenticationStateAsync()).User.ActorName();
            var result = _editingId is { } id ? await Catalog.UpdateAsync(id, _edit, actor) : await Catalog.CreateAsync(_edit, actor);
            switch (result.Outcome)
            {
                case AlertRuleSaveOutcome.Saved:
                    Snackbar.Add(result.Message, Severity.Success);
                    Cancel();
                    await LoadAsync();
                    break;
                case AlertRuleSaveOutcome.Invalid:
                    (_errors, _formProblem) = (result.Errors, "Correct the marked fields.");
                    break;
                default:
                    (_errors, _formProblem) = (NoErrors, result.Message);
                    break;
            }
        }
        finally
        {
            _saving = false;
        }
    }

    private async Task DeleteAsync(AlertRule rule)
    {
        var result = await Catalog.DeleteAsync(rule.Id, (await AuthState.GetAuthenticationStateAsync()).User.ActorName());
        Snackbar.Add(result.Message, result.Outcome == AlertRuleSaveOutcome.Saved ? Severity.Success : Severity.Warning);
        await LoadAsync();
    }
}
