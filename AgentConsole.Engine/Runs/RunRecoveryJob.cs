using Hangfire;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// Nothing hangs in Running: every minute, runs whose executor died (lease lapsed, or its instance stopped beating)
/// and runs whose job was lost are enqueued again, once each; they resume from their checkpoint.
/// </summary>
public sealed class RunRecoveryJob(RunRecovery recovery)
{
    public const string RecurringId = "run-recovery";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    public Task<int> RunAsync(CancellationToken ct) => recovery.RecoverAsync(ct: ct);
}
