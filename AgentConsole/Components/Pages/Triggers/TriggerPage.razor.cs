using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Access;
using AgentConsole.Components.Layout;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Triggers;
using AgentConsole.Triggers;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentConsole.Components.Pages.Triggers;

/// <summary>
/// One trigger: its settings, filter (condition builder with a live preview), mapping and activity. Every save sends
/// the whole definition with the revision it was loaded at, so a concurrent change is refused rather than lost, and
/// the engine's error keys land at the fields of whichever tab they belong to.
/// </summary>
public sealed partial class TriggerPage
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly string[] Tabs = ["settings", "filter", "mapping", "activity"];

    private Trigger? _trigger;
    private Agent? _agent;
    private ITriggerKindHandler? _handler;
    private bool _loaded;
    private bool _canEdit;
    private bool _busy;
    private int _tab;
    private string? _message;
    private string? _publicUrl;
    private IReadOnlyDictionary<string, string[]>? _errors;

    private string _name = "";
    private bool _enabled;
    private string? _dedupField;
    private int? _dedupWindow;
    private JsonObject _settings = [];
    private Dictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private IReadOnlyCollection<string> _secretNames = [];
    private FilterGroupModel _filter = new();
    private Dictionary<string, string> _mapping = new(StringComparer.Ordinal);

    private string _sample = "{}";
    private string? _sampleError;
    private TriggerEvaluation? _preview;
    private IReadOnlyDictionary<string, string[]>? _filterCompileErrors;
    private TriggerEvaluation? _test;

    [Parameter] public string Key { get; set; } = "";
    [SupplyParameterFromQuery(Name = "tab")] private string? TabParam { get; set; }
    [SupplyParameterFromQuery(Name = "event")] private Guid? EventParam { get; set; }
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    [Inject] private TriggerCatalog Catalog { get; set; } = default!;
    [Inject] private AgentCatalog Agents { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private BrowserTime Time { get; set; } = default!;

    /// <summary>Errors of the saved attempt, or (while editing) the filter's own compile errors, keyed like the engine's.</summary>
    private IReadOnlyDictionary<string, string[]>? FilterErrors => _filterCompileErrors is { Count: > 0 } ? _filterCompileErrors : _errors;

    protected override async Task OnParametersSetAsync()
    {
        if (_trigger is null || !string.Equals(_trigger.Key, Key, StringComparison.OrdinalIgnoreCase))
        {
            _canEdit = (await Authorization.AuthorizeAsync((await AuthState).User, Policies.EditAgents)).Succeeded;
            await LoadAsync();
        }

        var tab = Array.IndexOf(Tabs, TabParam?.ToLowerInvariant());
        if (tab >= 0)
        {
            _tab = tab;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && await Time.EnsureAsync())
        {
            StateHasChanged();
        }
    }

    private async Task LoadAsync()
    {
        _trigger = await Catalog.FindAsync(Key);
        _loaded = true;
        if (_trigger is null)
        {
            return;
        }

        _agent = await Agents.FindAsync(_trigger.AgentKey);
        _handler = Catalog.Handler(_trigger.Kind);
        _publicUrl = TriggerLinks.PublicUrl(_trigger, Catalog, Navigation.BaseUri);
        Reset(_trigger);
        if (_handler is not null && _sample == "{}")
        {
            _sample = _handler.SamplePayload(_trigger).ToJsonString(Indented);
        }

        UpdatePreview();
    }

    /// <summary>Puts the stored definition into the editors (after a load or a save).</summary>
    private void Reset(Trigger trigger)
    {
        _name = trigger.Name;
        _enabled = trigger.Enabled;
        _dedupField = trigger.DedupField;
        _dedupWindow = trigger.DedupWindowMinutes;
        _settings = JsonNode.Parse(trigger.SettingsJson) as JsonObject ?? [];
        _secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        _secretNames = [.. Catalog.SecretNames(trigger)];
        _filter = FilterGroupModel.From(TriggerFilter.FromJson(trigger.FilterJson));
        _mapping = new Dictionary<string, string>(TriggerMapping.FromJson(trigger.MappingJson) ?? [], StringComparer.Ordinal);
        _errors = null;
        _filterCompileErrors = null;
    }

    private string? Error(string key) => _errors is not null && _errors.TryGetValue(key, out var messages) ? string.Join(" ", messages) : null;

    private static int CountConditions(FilterGroupModel group) => group.Rows.Count + group.Groups.Sum(CountConditions);

    private Dictionary<string, string> CurrentMapping() =>
        _mapping.Where(m => !string.IsNullOrWhiteSpace(m.Value)).ToDictionary(m => m.Key, m => m.Value.Trim(), StringComparer.Ordinal);

    private void FilterChanged() => UpdatePreview();

    private void SampleChanged(string text)
    {
        _sample = text;
        UpdatePreview();
    }

    private void MappingChanged(string field, string? path)
    {
        _mapping[field] = path ?? "";
        UpdatePreview();
    }

    /// <summary>The filter as edited, against the sample as edited, through the mapping as edited: what the processor would do.</summary>
    private void UpdatePreview()
    {
        if (_trigger is null || _agent is null)
        {
            return;
        }

        var preview = FilterPreview.Of(_filter, _sample, _agent, CurrentMapping());
        _preview = preview.Evaluation;
        _filterCompileErrors = preview.FilterErrors;
        _sampleError = preview.SampleError;
    }

    /// <summary>The saved trigger on the sample payload (the editor's if it parses, else the kind's sample); nothing stored or started.</summary>
    private async Task TestAsync()
    {
        if (_trigger is null || _agent is null || _handler is null)
        {
            return;
        }

        var trigger = await Catalog.FindAsync(_trigger.Key) ?? _trigger;
        JsonObject payload;
        try
        {
            payload = JsonNode.Parse(_sample) as JsonObject ?? _handler.SamplePayload(trigger);
        }
        catch (JsonException)
        {
            payload = _handler.SamplePayload(trigger);
        }

        _test = TriggerEvaluation.Of(trigger, TriggerEvaluation.FilterOf(trigger), _agent, payload);
    }

    private async Task SaveAsync()
    {
        if (_trigger is null)
        {
            return;
        }

        _busy = true;
        try
        {
            var mapping = CurrentMapping();
            var draft = new TriggerDraft(_name, _trigger.Kind, _enabled, _filter.ToFilter(), mapping.Count == 0 ? null : mapping, _settings.DeepClone().AsObject(),
                _secrets.Count == 0 ? null : new Dictionary<string, string>(_secrets), _dedupField, _dedupWindow);
            var result = await Catalog.UpdateAsync(_trigger.Key, draft, _trigger.Revision, (await AuthState).User.ActorName());
            switch (result.Outcome)
            {
                case TriggerCommandOutcome.Done:
                    _trigger = result.Trigger!;
                    Reset(_trigger);
                    UpdatePreview();
                    _message = null;
                    Snackbar.Add($"Saved {_trigger.Name} (revision {_trigger.Revision}).", Severity.Success);
                    break;
                case TriggerCommandOutcome.Invalid:
                    _errors = result.Errors;
                    _message = "Not saved: " + Summary(result.Errors);
                    break;
                default:
                    _message = result.Message;
                    break;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private static string Summary(IReadOnlyDictionary<string, string[]>? errors) =>
        errors is null ? "the trigger is not valid." : string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));

    private async Task ToggleEnabledAsync()
    {
        if (_trigger is null)
        {
            return;
        }

        _busy = true;
        try
        {
            var result = await Catalog.SetEnabledAsync(_trigger.Key, !_trigger.Enabled, (await AuthState).User.ActorName());
            if (result.Outcome == TriggerCommandOutcome.Done)
            {
                _trigger = result.Trigger!;
                _enabled = _trigger.Enabled;
                Snackbar.Add(_trigger.Enabled ? "Enabled: new events start runs again." : "Disabled: events are refused until you enable it again.", Severity.Info);
            }
            else
            {
                _message = result.Message;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RotateAsync()
    {
        if (_trigger is null)
        {
            return;
        }

        var confirmed = await Dialogs.ShowMessageBoxAsync("Rotate the signing secret",
            "A new secret is generated and shown once. The current one keeps working during the overlap period, so senders can switch without losing events.",
            yesText: "Rotate", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var result = await Catalog.RotateSecretAsync(_trigger.Key, (await AuthState).User.ActorName());
        if (result.Outcome != TriggerCommandOutcome.Done)
        {
            _message = result.Message;
            return;
        }

        _trigger = result.Trigger!;
        var secrets = Catalog.SecretsOf(_trigger);
        DateTimeOffset? until = secrets.TryGetValue(TriggerSecrets.PreviousSigningUntil, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
        await TriggerNewPage.ShowSecretAsync(Dialogs, _trigger, result.Secret!, _publicUrl, until);
    }

    private async Task DeleteAsync()
    {
        if (_trigger is null)
        {
            return;
        }

        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete trigger",
            $"Delete “{_trigger.Name}”? Senders get 404 from now on. Its received events stay for the runs that link to them.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var result = await Catalog.DeleteAsync(_trigger.Key, _trigger.Revision, (await AuthState).User.ActorName());
        if (result.Outcome == TriggerCommandOutcome.Done)
        {
            Snackbar.Add($"Deleted {_trigger.Name}.", Severity.Info);
            Navigation.NavigateTo($"/triggers?agent={_trigger.AgentKey}");
        }
        else
        {
            _message = result.Message;
        }
    }
}
