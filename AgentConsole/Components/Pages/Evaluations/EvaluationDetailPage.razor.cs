using AgentConsole.Components.Layout;
using AgentConsole.Engine.Evaluations;
using Microsoft.AspNetCore.Components;

namespace AgentConsole.Components.Pages.Evaluations;

/// <summary>One evaluation (or replay), live while its cases run.</summary>
public sealed partial class EvaluationDetailPage
{
    private EvaluationDetail? _detail;
    private bool _loading = true;

    [Parameter] public Guid Id { get; set; }

    [Inject] private AgentEvaluations Evaluations { get; set; } = default!;
    [Inject] private EvaluationFeed Feed { get; set; } = default!;
    [Inject] private BrowserTime Time { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        Feed.Progressed -= OnProgressed;
        Feed.Progressed += OnProgressed;
        _detail = await Evaluations.GetAsync(Id);
        _loading = false;
    }

    private void OnProgressed(EvaluationProgressed progress)
    {
        // Raised on a job's thread: reload on this circuit's dispatcher, never wait for it. The baseline's progress
        // matters too: its verdicts make the comparison.
        if (progress.EvaluationId != Id && progress.EvaluationId != _detail?.Evaluation.BaselineEvaluationId)
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            _detail = await Evaluations.GetAsync(Id);
            StateHasChanged();
        });
    }

    public void Dispose() => Feed.Progressed -= OnProgressed;
}
