using Hangfire;

namespace AgentConsole.Engine.Triggers.Polling;

/// <summary>
/// The one recurring job behind every polling trigger: every 15 seconds it polls the triggers that are due. A single
/// job (rather than one per trigger) keeps Hangfire's recurring-job table independent of the number of triggers, and
/// <see cref="DisableConcurrentExecutionAttribute"/> keeps two instances from polling at once.
/// </summary>
public sealed class TriggerPollJob(TriggerPolling polling)
{
    public const string RecurringId = "trigger-polling";

    /// <summary>Every 15 seconds (Hangfire's scheduler looks at recurring jobs about that often).</summary>
    public const string Cron = "*/15 * * * * *";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(300)]
    public Task<int> RunAsync(CancellationToken ct) => polling.PollDueAsync(ct);
}
