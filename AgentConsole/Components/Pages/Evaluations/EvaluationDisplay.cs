using AgentConsole.Engine.Evaluations;
using MudBlazor;

namespace AgentConsole.Components.Pages.Evaluations;

/// <summary>How evaluations read on pages: verdict colours, rates as percentages, the configuration in words.</summary>
internal static class EvaluationDisplay
{
    public static Color VerdictColor(CaseVerdict verdict) => verdict switch
    {
        CaseVerdict.Passed => Color.Success,
        CaseVerdict.Failed => Color.Error,
        CaseVerdict.Error => Color.Warning,
        _ => Color.Default,
    };

    public static Color StatusColor(EvaluationStatus status) => status switch
    {
        EvaluationStatus.Completed => Color.Success,
        EvaluationStatus.Running => Color.Info,
        EvaluationStatus.Cancelled => Color.Default,
        _ => Color.Default,
    };

    public static string Percent(double? rate) => rate is { } r ? r.ToString("P1", System.Globalization.CultureInfo.InvariantCulture) : "–";

    public static string Usd(decimal? amount) => amount is { } a ? "$" + a.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) : "–";

    public static double Progress(Evaluation evaluation) => evaluation.Total == 0 ? 0 : 100.0 * evaluation.Completed / evaluation.Total;

    public static string Configuration(Evaluation evaluation) => AgentEvaluations.Describe(evaluation);
}
