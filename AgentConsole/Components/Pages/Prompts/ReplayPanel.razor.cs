using System.Globalization;
using System.Text.Json;
using AgentConsole.Access;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Components.Pages.Prompts;

/// <summary>What-if replay from the workbench: pick historical runs, replay them against the draft, see what would change.</summary>
public sealed partial class ReplayPanel : IDisposable
{
    private static readonly RunStatus[] Outcomes =
        [RunStatus.Succeeded, RunStatus.WaitingForHuman, RunStatus.HandledByHuman, RunStatus.StoppedByLimit, RunStatus.Failed, RunStatus.Cancelled];

    private string _window = "7d";
    private RunStatus? _status;
    private int _limit = 50;
    private bool _starting;
    private string? _message;
    private Evaluation? _evaluation;
    private List<EvaluationCase> _cases = [];
    private decimal _costBefore;
    private int _notRecorded;

    [Parameter, EditorRequired] public string AgentKey { get; set; } = "";

    [Parameter] public Guid? PromptVersionId { get; set; }

    [Parameter] public string? TargetLabel { get; set; }

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private Replays Replays { get; set; } = default!;
    [Inject] private EvaluationFeed Feed { get; set; } = default!;
    [Inject] private IDbContextFactory<AgentConsoleDbContext> DbFactory { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private ILogger<ReplayPanel> Logger { get; set; } = default!;

    private string TargetText => TargetLabel ?? "the latest draft";

    private bool Running => _evaluation is { Status: EvaluationStatus.Queued or EvaluationStatus.Running };

    private List<EvaluationCase> Changed => [.. _cases.Where(c => c.Verdict is CaseVerdict.Failed or CaseVerdict.Error)];

    private string Delta
    {
        get
        {
            var delta = (_evaluation?.CostUsd ?? 0) - _costBefore;
            return (delta >= 0 ? "+" : "−") + Runs.RunDisplay.Cost(Math.Abs(delta));
        }
    }

    protected override void OnInitialized() => Feed.Progressed += OnProgress;

    private async Task StartAsync()
    {
        _message = null;
        _starting = true;
        try
        {
            var now = Clock.GetUtcNow();
            DateTimeOffset? from = _window switch
            {
                "24h" => now.AddDays(-1),
                "7d" => now.AddDays(-7),
                "30d" => now.AddDays(-30),
                _ => null,
            };
            var actor = (await AuthState).User.ActorName();
            var started = await Replays.StartAsync(AgentKey, new ReplayRequest(from, null, _status, null, _limit, PromptVersionId?.ToString()), actor);
            if (started.Outcome != EvaluationStartOutcome.Started)
            {
                _message = started.Message;
                return;
            }

            await LoadAsync(started.EvaluationId!.Value);
        }
        finally
        {
            _starting = false;
        }
    }

    private async Task LoadAsync(Guid id)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        _evaluation = await db.Evaluations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id);
        _cases = await db.EvaluationCases.AsNoTracking().Where(c => c.EvaluationId == id).OrderBy(c => c.Sequence).ToListAsync();
        // Each replayed case's diff carries the historical run's cost and its unrecorded calls: no second query per refresh.
        var diffs = _cases.Select(c => Diff(c.DiffJson)).OfType<ReplayDiffFigures>().ToList();
        _costBefore = diffs.Sum(d => d.CostBefore);
        _notRecorded = diffs.Sum(d => d.NotRecorded);
    }

    private void OnProgress(EvaluationProgressed progress)
    {
        var evaluationId = progress.EvaluationId;
        if (evaluationId != _evaluation?.Id)
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            try
            {
                await LoadAsync(evaluationId);
                StateHasChanged();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ReplayLog.RefreshFailed(Logger, ex, evaluationId);
            }
        });
    }

    private static double Percent(Evaluation e) => e.Total == 0 ? 0 : 100.0 * e.Completed / e.Total;

    private static string[] Reasons(EvaluationCase c) =>
        c.ReasonsJson is null ? [] : JsonSerializer.Deserialize<string[]>(c.ReasonsJson) ?? [];

    private static ReplayDiffFigures? Diff(string? diffJson)
    {
        if (diffJson is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(diffJson);
        var root = doc.RootElement;
        var before = root.TryGetProperty("cost", out var cost) && cost.TryGetProperty("before", out var b) ? b.GetDecimal() : 0;
        var notRecorded = root.TryGetProperty("notRecorded", out var list) && list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0;
        return new ReplayDiffFigures(before, notRecorded);
    }

    private sealed record ReplayDiffFigures(decimal CostBefore, int NotRecorded);

    public void Dispose() => Feed.Progressed -= OnProgress;
}

internal static partial class ReplayLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing replay {EvaluationId} failed")]
    public static partial void RefreshFailed(ILogger logger, Exception exception, Guid evaluationId);
}
