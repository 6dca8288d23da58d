using System.Globalization;
using AgentConsole.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Agents.Scoping;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentConsole.Components.Pages.Agents;

/// <summary>The agent page's scoping form (Owners and Admins edit) with the baseline it gives and the pilot scorecard.</summary>
public sealed partial class ScopingSection
{
    private static readonly Dictionary<string, string[]> NoErrors = [];

    private ScopingDraft _draft = new();
    private string? _pilotStart;
    private AgentScorecard? _card;
    private Dictionary<string, string[]> _errors = NoErrors;
    private bool _attempted;
    private bool _loading = true;
    private bool _saving;
    private string? _problem;

    [Parameter, EditorRequired] public string AgentKey { get; set; } = "";
    [Parameter] public bool CanEdit { get; set; }

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private AgentScopings Scopings { get; set; } = default!;
    [Inject] private AgentScorecards Scorecards { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private string DerivedMinutesHint => _draft.HoursPerWeek is > 0 && _draft.WeeklyVolume is > 0
        ? string.Create(CultureInfo.InvariantCulture, $"Empty: derived, {_draft.HoursPerWeek.Value * 60m / _draft.WeeklyVolume.Value:0.#} min (hours × 60 / volume)")
        : "Empty: derived as hours × 60 / volume";

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        _loading = true;
        _card = await Scorecards.BuildAsync(AgentKey);
        _draft = ScopingDraft.From(_card?.Scoping);
        _pilotStart = _draft.PilotStart?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        _attempted = false;
        _errors = NoErrors;
        _loading = false;
    }

    private bool Has(string field) => _errors.ContainsKey(field);

    private string? Error(string field) => _errors.TryGetValue(field, out var messages) ? messages[0] : null;

    private void Changed()
    {
        if (_attempted)
        {
            _errors = Validate();
        }
    }

    private Dictionary<string, string[]> Validate()
    {
        var errors = ScopingRules.Validate(Draft(), DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime));
        if (!string.IsNullOrWhiteSpace(_pilotStart) && !DateOnly.TryParseExact(_pilotStart, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors["pilotStart"] = ["Enter the pilot start as a date (yyyy-mm-dd), or leave it empty."];
        }

        return errors;
    }

    private ScopingDraft Draft()
    {
        _draft.PilotStart = DateOnly.TryParseExact(_pilotStart, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
        return _draft;
    }

    private async Task SaveAsync()
    {
        _attempted = true;
        _problem = null;
        _errors = Validate();
        if (_errors.Count > 0)
        {
            _problem = "Some figures need attention; they are marked below.";
            return;
        }

        _saving = true;
        try
        {
            var actor = (await AuthState).User.ActorName();
            var result = await Scopings.SaveAsync(AgentKey, Draft(), _card?.Scoping?.Revision ?? 0, actor);
            switch (result.Outcome)
            {
                case AgentSaveOutcome.Saved:
                    Snackbar.Add("Scoping saved.", Severity.Success);
                    await LoadAsync();
                    break;
                case AgentSaveOutcome.Invalid:
                    _errors = new Dictionary<string, string[]>(result.Errors);
                    _problem = "Some figures need attention; they are marked below.";
                    break;
                default:
                    _problem = result.Message;
                    break;
            }
        }
        finally
        {
            _saving = false;
        }
    }

    private static Color FitColor(ScopingFit fit) => fit switch
    {
        ScopingFit.WorthAnAgent => Color.Success,
        ScopingFit.PlainAutomation => Color.Info,
        _ => Color.Warning,
    };

    private static string FitLabel(ScopingFit fit) => fit switch
    {
        ScopingFit.WorthAnAgent => "Worth exploring an agent",
        ScopingFit.PlainAutomation => "Plain automation may fit better",
        _ => "Borderline",
    };
}
