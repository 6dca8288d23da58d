using System.Text.Json.Nodes;
using AgentConsole.Access;
using AgentConsole.Components.Layout;
using AgentConsole.Runs;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Runs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentConsole.Components.Pages.Runs;

/// <summary>
/// One run: totals, reason, output, input and its timeline, with cancel, re-run and the escalation decisions.
/// It reloads when the change feed reports this run, throttled like the list.
/// </summary>
public sealed partial class RunDetailPage : IDisposable
{
    private LiveRefresh _live = null!;
    private RunDetail? _detail;
    private bool _loading = true;
    private bool _canEdit;
    private bool _canResolve;
    private bool _busy;
    private string? _problem;

    [Parameter] public Guid Id { get; set; }

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private AgentRuns Runs { get; set; } = default!;
    [Inject] private RequestThrottle Throttle { get; set; } = default!;
    [Inject] private EscalationResolver Resolver { get; set; } = default!;
    [Inject] private ModelProviders Providers { get; set; } = default!;
    [Inject] private RunNotifications Notifications { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private BrowserTime Time { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private ILogger<RunDetailPage> Logger { get; set; } = default!;

    private string ModelText
    {
        get
        {
            var run = _detail!.Run;
            if (run.Provider is null)
            {
                return "not started";
            }

            var provider = Providers.Resolve(run.Provider);
            return provider?.Kind == ModelProviderKind.Offline ? ModelProvider.OfflineLabel : $"{run.Provider} · {run.ModelId ?? provider?.Model ?? "?"}";
        }
    }

    private Severity ReasonSeverity => _detail!.Run.Status switch
    {
        RunStatus.Failed => Severity.Error,
        RunStatus.WaitingForHuman or RunStatus.StoppedByLimit => Severity.Warning,
        _ => Severity.Info,
    };

    /// <summary>The redacted input from the trigger step; the raw input never reaches the page.</summary>
    private string InputJson
    {
        get
        {
            var trigger = _detail!.Steps.FirstOrDefault(s => s.Kind == RunStepKind.Trigger)?.DetailJson;
            try
            {
                return trigger is not null && JsonNode.Parse(trigger)?["input"] is { } input ? RunDisplay.PrettyJson(input.ToJsonString()) : "(not recorded)";
            }
            catch (System.Text.Json.JsonException)
            {
                return "(not readable)";
            }
        }
    }

    protected override void OnInitialized() =>
        _live = new LiveRefresh(Clock, InvokeAsync, async _ =>
        {
            await LoadAsync();
            StateHasChanged();
        }, ex => RunDetailLog.RefreshFailed(Logger, ex, Id));

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthState).User;
        _canEdit = (await Authorization.AuthorizeAsync(user, Policies.EditAgents)).Succeeded;
        _canResolve = (await Authorization.AuthorizeAsync(user, Policies.Escalations)).Succeeded;
        Notifications.Updated += OnRunUpdated;
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_detail?.Run.Id == Id)
        {
            return;
        }

        _loading = true;
        await LoadAsync();
        _loading = false;
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
        _live.Loaded();
        _detail = await Runs.GetAsync(Id, _live.Stopping);
    }

    private void OnRunUpdated(RunUpdated update)
    {
        if (update.RunId == Id)
        {
            _live.Request();
        }
    }

    private async Task<string> ActorAsync() => (await AuthState).User.ActorName();

    private async Task CancelAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Cancel this run?",
            "The run stops before its next step and any open escalation is closed. This cannot be undone; you can re-run it later.",
            yesText: "Cancel run", cancelText: "Keep running");
        if (confirmed != true)
        {
            return;
        }

        await CommandAsync(async actor => await Runs.CancelAsync(Id, actor), result => Snackbar.Add(result.Message ?? "Cancelled.", Severity.Info));
    }

    private async Task RerunAsync()
    {
        var user = (await AuthState).User;
        await CommandAsync(
            async actor => Throttle.RefuseInConsole(user, _detail!.Run.AgentKey) ?? await Runs.RerunAsync(Id, actor),
            result => Navigation.NavigateTo($"/runs/{result.RunId}"));
    }

    private async Task ResolveAsync(Escalation escalation, EscalationAction action, string? comment) =>
        await CommandAsync(
            async actor => await Resolver.ResolveAsync(escalation.Id, action, comment, actor),
            result => Snackbar.Add($"Escalation resolved: {result.Message}.", Severity.Success));

    /// <summary>Runs a command as the signed-in user; a refused command leaves the page as it was and says why.</summary>
    private async Task CommandAsync(Func<string, Task<RunCommandResult>> command, Action<RunCommandResult> done)
    {
        _busy = true;
        _problem = null;
        try
        {
            var result = await command(await ActorAsync());
            if (result.Outcome == RunCommandOutcome.Done)
            {
                done(result);
            }
            else
            {
                _problem = result.Message ?? result.Outcome.ToString();
            }

            await LoadAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RunDetailLog.CommandFailed(Logger, ex, Id);
            _problem = "That did not work because of an unexpected error; nothing was changed on this page. Try again.";
        }
        finally
        {
            _busy = false;
        }
    }

    public void Dispose()
    {
        Notifications.Updated -= OnRunUpdated;
        _live.Dispose();
    }
}

internal static partial class RunDetailLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing run {RunId} failed")]
    public static partial void RefreshFailed(ILogger logger, Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A command on run {RunId} failed")]
    public static partial void CommandFailed(ILogger logger, Exception exception, Guid runId);
}
