namespace AgentConsole.Benchmarks.Reliability;

/// <summary>What the crash benchmark found in the database and the audit chain once everything settled.</summary>
internal sealed record CrashChecks(
    IReadOnlyDictionary<string, int> Statuses,
    int Missing,
    int Unsettled,
    int UnacceptedInDb,
    int UnacceptedUnsettled,
    long DuplicateCallIds,
    long RepeatedTools,
    long InFlight,
    long Interrupted,
    long ToolCalls,
    long CounterMismatch,
    long AuditToolEvents,
    long MaxExecutions,
    long Resumed,
    long InterruptedEscalations,
    bool AuditOk,
    string AuditDetail,
    SandboxEffects Effects,
    long FailedRuns,
    long SilentToolFailures,
    long RetriedOk,
    long ToolFailureEscalations,
    long FailedAttempts,
    bool FaultsInjected)
{
    public bool Passed => Effects.Passed && SilentToolFailures == 0 && (!FaultsInjected || FailedRuns == 0) && Missing == 0 && Unsettled == 0 && UnacceptedUnsettled == 0 && DuplicateCallIds == 0 && RepeatedTools == 0
        && InFlight == 0 && CounterMismatch == 0 && AuditToolEvents == ToolCalls && AuditOk;
}
