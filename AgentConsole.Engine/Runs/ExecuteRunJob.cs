using Hangfire;

namespace AgentConsole.Engine.Runs;

/// <summary>The Hangfire job for a run: takes the id, never the entity; the executor makes running it twice harmless.</summary>
public sealed class ExecuteRunJob(RunExecutor executor)
{
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [JobDisplayName("Run {0}")]
    public Task ExecuteRun(Guid runId, CancellationToken cancellationToken) => executor.ExecuteAsync(runId, cancellationToken);
}
