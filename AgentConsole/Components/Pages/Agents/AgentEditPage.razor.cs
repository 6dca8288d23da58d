using AgentConsole.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Runs;
using AgentConsole.Runs;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentConsole.Components.Pages.Agents;

public sealed partial class AgentEditPage
{
    private static readonly Dictionary<string, string[]> NoErrors = [];

    private AgentDefinition _definition = new();
    private Agent? _agent;
    private Dictionary<string, string[]> _errors = [];
    private bool _attempted;
    private bool _loading = true;
    private bool _notFound;
    private bool _canEdit;
    private bool _saving;
    private bool _dirty;
    private bool _conflict;
    private string? _problem;
    private IReadOnlyList<ModelProvider> _providers = [];

    [Parameter] public string? Key { get; set; }

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private AgentCatalog Catalog { get; set; } = default!;
    [Inject] private Microsoft.Extensions.Options.IOptions<Engine.Runs.Redaction.RedactionOptions> RedactionLimits { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<AgentEditPage> Logger { get; set; } = default!;
    [Inject] private AgentRuns Runs { get; set; } = default!;
    [Inject] private RequestThrottle Throttle { get; set; } = default!;
    [Inject] private ModelProviders Providers { get; set; } = default!;
    [Inject] private Engine.Tools.ToolRegistry ToolCatalogue { get; set; } = default!;
    [Inject] private IOptions<RunOptions> RunOptions { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    private bool IsNew => string.IsNullOrEmpty(Key);

    private string Title => IsNew ? "New agent" : _agent?.Name ?? Key ?? "";

    private string? Subtitle => _agent is null
        ? "Describe the workflow, how far the agent may act alone and its limits."
        : $"Revision {_agent.Revision} · updated {_agent.UpdatedAt:yyyy-MM-dd HH:mm} UTC by {_agent.UpdatedBy}";

    private IReadOnlyDictionary<string, string[]> VisibleErrors => _attempted ? _errors : NoErrors;

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthState).User;
        _canEdit = (await Authorization.AuthorizeAsync(user, Policies.EditAgents)).Succeeded;
        _providers = Providers.List();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        _problem = null;
        _conflict = false;
        _attempted = false;
        _dirty = false;
        _errors = [];
        if (IsNew)
        {
            _agent = null;
            _definition = new AgentDefinition();
        }
        else
        {
            _agent = await Catalog.FindAsync(Key!);
            _notFound = _agent is null;
            _definition = _agent is null ? new AgentDefinition() : AgentDefinition.From(_agent);
        }

        _loading = false;
    }

    private async Task ReloadAsync() => await LoadAsync();

    /// <summary>Runs the saved agent (not unsaved edits) on an input typed in the dialog, then shows the run.</summary>
    private async Task RunNowAsync()
    {
        var agent = _agent!;
        var user = (await AuthState).User;
        var actor = user.ActorName();
        var parameters = new DialogParameters<RunNowDialog>
        {
            { d => d.AgentName, agent.Name },
            { d => d.InitialJson, RunInput.Sample(agent.InputFields, Clock.GetUtcNow()) },
            { d => d.Start, async input => Throttle.RefuseInConsole(user, agent.Key) ?? await Runs.StartAsync(agent.Key, input, actor) },
        };
        var dialog = await Dialogs.ShowAsync<RunNowDialog>($"Run {agent.Name}", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: Guid runId })
        {
            Navigation.NavigateTo($"/runs/{runId}");
        }
    }

    private void OnDefinitionChanged()
    {
        _dirty = true;
        if (_attempted)
        {
            _errors = AgentRules.Validate(_definition, RedactionLimits.Value.MaxCustomPatterns);
        }
    }

    private async Task SaveAsync()
    {
        _attempted = true;
        _problem = null;
        _conflict = false;
        _errors = AgentRules.Validate(_definition, RedactionLimits.Value.MaxCustomPatterns);
        if (_errors.Count > 0)
        {
            _problem = "Some fields need attention; they are highlighted below.";
            return;
        }

        _saving = true;
        try
        {
            var actor = (await AuthState).User.ActorName();
            var result = IsNew
                ? await Catalog.CreateAsync(_definition, actor)
                : await Catalog.UpdateAsync(Key!, _definition, _agent?.Revision, actor);
            switch (result.Outcome)
            {
                case AgentSaveOutcome.Saved:
                    Snackbar.Add($"Saved {result.Agent!.Name}.", Severity.Success);
                    _dirty = false;
                    if (IsNew)
                    {
                        Navigation.NavigateTo($"/agents/{result.Agent.Key}");
                    }
                    else
                    {
                        _agent = result.Agent;
                        _definition = AgentDefinition.From(result.Agent);
                    }

                    break;
                case AgentSaveOutcome.Invalid:
                    _errors = new Dictionary<string, string[]>(result.Errors);
                    _problem = "Some fields need attention; they are highlighted below.";
                    break;
                case AgentSaveOutcome.Conflict when IsNew:
                    _errors = new Dictionary<string, string[]> { ["key"] = [result.Message!] };
                    _problem = result.Message;
                    break;
                case AgentSaveOutcome.Conflict:
                    _conflict = true;
                    _problem = result.Message;
                    break;
                default:
                    _problem = result.Message;
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The edits stay in the form; the user can retry.
            AgentEditLog.SaveFailed(Logger, ex, Key ?? _definition.Key);
            _problem = "Saving failed unexpectedly. Your edits are still here; try again.";
        }
        finally
        {
            _saving = false;
        }
    }
}

internal static partial class AgentEditLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Saving agent {Key} failed")]
    public static partial void SaveFailed(ILogger logger, Exception exception, string key);
}
