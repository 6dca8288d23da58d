using AgentConsole.Access;
using AgentConsole.Components.Pages.Agents;
using AgentConsole.Components.Pages.Runs;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace AgentConsole.Components.Pages.Prompts;

/// <summary>"Try it": one input against the draft, its timeline following live as the run saves each step.</summary>
public sealed partial class TryItPanel : IDisposable
{
    private string _text = "";
    private RunInputParse? _parse;
    private string? _message;
    private IReadOnlyList<KeyValuePair<string, string[]>> _fieldErrors = [];
    private bool _starting;
    private Guid? _runId;
    private RunDetail? _detail;
    private LiveRefresh _live = null!;

    [Parameter, EditorRequired] public string AgentKey { get; set; } = "";

    /// <summary>The prompt version to try; null: the latest draft, else the published version.</summary>
    [Parameter] public Guid? PromptVersionId { get; set; }

    /// <summary>How the panel names what it runs against, e.g. "prompt v3 (draft)".</summary>
    [Parameter] public string? TargetLabel { get; set; }

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private Trials Trials { get; set; } = default!;
    [Inject] private AgentRuns Runs { get; set; } = default!;
    [Inject] private AgentCatalog Agents { get; set; } = default!;
    [Inject] private RunNotifications Notifications { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private ILogger<TryItPanel> Logger { get; set; } = default!;

    private string TargetText => TargetLabel ?? "the latest draft";

    protected override void OnInitialized()
    {
        _live = new LiveRefresh(Clock, InvokeAsync, async ct =>
        {
            await LoadAsync(ct);
            StateHasChanged();
        }, ex => TryItLog.RefreshFailed(Logger, ex, AgentKey));
        Notifications.Updated += OnRunUpdated;
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_text.Length == 0 && await Agents.FindAsync(AgentKey) is { } agent)
        {
            _text = RunInput.Sample(agent.InputFields, Clock.GetUtcNow());
        }
    }

    private void OnEdited()
    {
        _parse = null;
        _message = null;
    }

    private async Task StartAsync()
    {
        _parse = RunInput.Parse(_text);
        _message = null;
        _fieldErrors = [];
        if (_parse.Input is null)
        {
            return;
        }

        _starting = true;
        try
        {
            var actor = (await AuthState).User.ActorName();
            var result = await Trials.StartAsync(AgentKey, _parse.Input, PromptVersionId?.ToString(), null, actor);
            if (result.Outcome != RunCommandOutcome.Done)
            {
                _message = result.Message;
                _fieldErrors = [.. (result.Errors ?? new Dictionary<string, string[]>())];
                return;
            }

            _runId = result.RunId;
            await LoadAsync(_live.Stopping);
        }
        finally
        {
            _starting = false;
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        _live.Loaded();
        if (_runId is { } id)
        {
            _detail = await Runs.GetAsync(id, ct);
        }
    }

    private void OnRunUpdated(RunUpdated update)
    {
        if (update.RunId == _runId)
        {
            _live.Request();
        }
    }

    public void Dispose()
    {
        Notifications.Updated -= OnRunUpdated;
        _live.Dispose();
    }
}

internal static partial class TryItLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing a Try-it run of {AgentKey} failed")]
    public static partial void RefreshFailed(ILogger logger, Exception exception, string agentKey);
}
