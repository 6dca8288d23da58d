using AgentConsole.Access;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Models;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace AgentConsole.Components.Pages.Prompts;

/// <summary>
/// Starts an evaluation of a prompt version (null: the latest draft, else the published version) with the agent's draft
/// decisions on the chosen test set, follows it live through <see cref="EvaluationFeed"/>, and shows the scores, the
/// publish gate's verdict on that version and the regressions and fixes against the published configuration.
/// </summary>
public sealed partial class EvaluationPanel : IDisposable
{
    private IReadOnlyList<TestSet>? _sets;
    private Guid? _setId;
    private EvaluationDetail? _current;
    private PublishGateResult? _gate;
    private string? _problem;
    private bool _offline;
    private bool _canRun;
    private bool _starting;
    private int _historyVersion;
    private string? _loadedFor;
    private Guid? _loadedVersion;

    [Parameter, EditorRequired] public string AgentKey { get; set; } = "";

    /// <summary>The prompt version the workbench is editing; null: the defaults (latest draft, else published, else built-in).</summary>
    [Parameter] public Guid? PromptVersionId { get; set; }

    [Inject] private AgentEvaluations Evaluations { get; set; } = default!;
    [Inject] private EvaluationFeed Feed { get; set; } = default!;
    [Inject] private PublishGate Gate { get; set; } = default!;
    [Inject] private ModelProviders Models { get; set; } = default!;
    [Inject] private Engine.Agents.AgentCatalog Agents { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private AuthenticationStateProvider AuthState { get; set; } = default!;

    private bool Running => _current?.Evaluation.Status is EvaluationStatus.Queued or EvaluationStatus.Running;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthState.GetAuthenticationStateAsync()).User;
        _canRun = (await Authorization.AuthorizeAsync(user, Policies.Prompts)).Succeeded;
        Feed.Progressed += OnProgressed;
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == AgentKey && _loadedVersion == PromptVersionId && _sets is not null)
        {
            return;
        }

        (_loadedFor, _loadedVersion) = (AgentKey, PromptVersionId);
        var agent = await Agents.FindAsync(AgentKey);
        _offline = agent is not null && Models.Resolve(agent.Model)?.Kind == ModelProviderKind.Offline;
        _sets = await Evaluations.TestSetsAsync(AgentKey);
        _setId = _sets.FirstOrDefault(s => s.IsDefault)?.Id ?? (_sets.Count > 0 ? _sets[0].Id : null);
        // Show the latest evaluation of this version when the tab opens, so a finished one is not run again to be read.
        var recent = await Evaluations.ListAsync(AgentKey, 0, 50);
        var latest = recent.Items.FirstOrDefault(e => e.Kind == EvaluationKind.TestSet && (PromptVersionId is null || e.PromptVersionId == PromptVersionId));
        _current = latest is null ? null : await Evaluations.GetAsync(latest.Id);
        await CheckGateAsync();
    }

    private async Task StartAsync()
    {
        _problem = null;
        _starting = true;
        try
        {
            var actor = (await AuthState.GetAuthenticationStateAsync()).User.ActorName();
            var result = await Evaluations.StartAsync(AgentKey, new EvaluationRequest(PromptVersionId, null, _setId), actor);
            if (result.Outcome != EvaluationStartOutcome.Started)
            {
                _problem = result.Message;
                return;
            }

            _current = await Evaluations.GetAsync(result.EvaluationId!.Value);
            _gate = null;
            _historyVersion++;
        }
        finally
        {
            _starting = false;
        }
    }

    private async Task CheckGateAsync()
    {
        _gate = _current is { Evaluation: { Status: EvaluationStatus.Completed, PromptVersionId: { } id, PromptVersionNumber: { } number } }
            ? await Gate.CheckPromptAsync(AgentKey, id, number)
            : null;
    }

    private void OnProgressed(EvaluationProgressed progress)
    {
        var current = _current?.Evaluation;
        if (current is null || (progress.EvaluationId != current.Id && progress.EvaluationId != current.BaselineEvaluationId))
        {
            return;
        }

        // Raised on a job's thread: reload on this circuit's dispatcher, never wait for it.
        _ = InvokeAsync(async () =>
        {
            _current = await Evaluations.GetAsync(current.Id);
            if (progress.Status == EvaluationStatus.Completed)
            {
                await CheckGateAsync();
                _historyVersion++;
            }

            StateHasChanged();
        });
    }

    public void Dispose() => Feed.Progressed -= OnProgressed;
}
