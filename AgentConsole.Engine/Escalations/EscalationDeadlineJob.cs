using Hangfire;

namespace AgentConsole.Engine.Escalations;

/// <summary>Thin Hangfire entry points for the SLA: delayed reminder and deadline per escalation, and a minutely sweep.</summary>
public sealed class EscalationDeadlineJob(EscalationDeadlines deadlines)
{
    public const string RecurringId = "escalation-sla";

    [AutomaticRetry(Attempts = 3)]
    public Task ExpireAsync(Guid escalationId, CancellationToken ct) => deadlines.ExpireAsync(escalationId, ct);

    [AutomaticRetry(Attempts = 3)]
    public Task RemindAsync(Guid escalationId, CancellationToken ct) => deadlines.RemindAsync(escalationId, ct);

    [AutomaticRetry(Attempts = 1)]
    [DisableConcurrentExecution(120)]
    public Task SweepAsync(CancellationToken ct) => deadlines.SweepAsync(ct);
}
