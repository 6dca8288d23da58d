namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>
/// The run figures a pilot scorecard needs for one agent and window; the fields mirror the monitoring summary's
/// (<c>Monitoring.MetricsSummary</c>) so <see cref="AgentScorecards.LoadFiguresAsync"/> can switch to it.
/// </summary>
/// <param name="Runs">Runs created in the window.</param>
/// <param name="Ended">Of those, the runs that ended (succeeded, failed, cancelled, stopped by a limit, handled by a person).</param>
/// <param name="Errors">Runs that failed or were stopped by a limit.</param>
/// <param name="Escalated">Runs that handed at least one case to a person.</param>
public sealed record PilotFigures(
    int Runs,
    int Ended,
    int Errors,
    int Escalated,
    decimal CostUsd,
    double? ErrorRate,
    double? EscalationRate,
    decimal? CostPerRun);
