using Hangfire;

namespace AgentConsole.Engine.Alerts;

/// <summary>The thin Hangfire entry point of the recurring <c>alerts-evaluate</c> job.</summary>
public sealed class AlertEvaluationJob(AlertEvaluator evaluator)
{
    public const string RecurringId = "alerts-evaluate";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(120)]
    public Task EvaluateAsync(CancellationToken ct) => evaluator.EvaluateAsync(ct);
}
