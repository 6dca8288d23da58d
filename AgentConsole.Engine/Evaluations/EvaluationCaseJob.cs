using AgentConsole.Engine.Jobs;
using Hangfire;

namespace AgentConsole.Engine.Evaluations;

/// <summary>The Hangfire job for one evaluation case, on the evaluations queue: takes the case id; running it twice is harmless.</summary>
public sealed class EvaluationCaseJob(EvaluationCaseRunner runner)
{
    [Queue(JobQueues.Evaluations)]
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [JobDisplayName("Evaluation case {0}")]
    public Task RunCase(Guid caseId, CancellationToken cancellationToken) => runner.RunAsync(caseId, cancellationToken);
}
