using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Alerts;

/// <summary>Alert evaluation (section <c>AgentConsole:Alerts</c>). Thresholds live on the rules, edited in the console.</summary>
public sealed class AlertOptions : IValidatableObject
{
    public const string Section = "AgentConsole:Alerts";

    /// <summary>When the <c>alerts-evaluate</c> recurring job runs (cron, UTC); every minute by default.</summary>
    public string EvaluationCron { get; set; } = "* * * * *";

    /// <summary>Create the default rules at start-up when there are none (error rate, run cost, daily spend, ...).</summary>
    public bool SeedDefaultRules { get; set; } = true;

    /// <summary>Resolved alerts listed per page of the history (API default and the page's size).</summary>
    [Range(1, 500)]
    public int PageSize { get; set; } = 50;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Cronos.CronExpression.TryParse(EvaluationCron, Cronos.CronFormat.Standard, out _))
        {
            yield return new ValidationResult(
                $"AgentConsole:Alerts:EvaluationCron must be a five-field cron expression such as \"* * * * *\" (got '{EvaluationCron}').",
                [nameof(EvaluationCron)]);
        }
    }
}
