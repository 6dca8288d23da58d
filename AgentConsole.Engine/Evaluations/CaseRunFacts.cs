using AgentConsole.Engine.Runs;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// What <see cref="CaseScoring"/> needs to know about one case's run: whether the engine refused the input (and why),
/// else the run's status, decision results, successful tool calls, escalations and output.
/// </summary>
public sealed record CaseRunFacts(
    bool Rejected,
    string? RejectionMessage = null,
    RunStatus? Status = null,
    string? Reason = null,
    string? FactsJson = null,
    IReadOnlyList<string>? ToolsCalled = null,
    int EscalationCount = 0,
    string? Output = null)
{
    public static CaseRunFacts Refused(string message) => new(true, message);

    public static CaseRunFacts From(Run run, IEnumerable<RunStep> steps)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(false, null, run.Status, run.Reason, run.FactsJson,
            [.. steps.Where(s => s.Kind == RunStepKind.ToolCall && s.ToolName is not null && !s.IsError && !s.InFlight).Select(s => s.ToolName!)],
            run.EscalationCount, run.Output);
    }
}
