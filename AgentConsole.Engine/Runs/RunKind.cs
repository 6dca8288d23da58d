namespace AgentConsole.Engine.Runs;

/// <summary>
/// Why a run exists. Only production runs count in the dashboard, alerts and scorecard; every other kind runs a pinned
/// configuration on sandbox connections (a replay answers tool calls from a historical run's records instead), and an
/// escalation ends it where a production run would wait for a reviewer, without queueing anything.
/// </summary>
public enum RunKind
{
    Production,

    /// <summary>A test case run by an evaluation.</summary>
    Evaluation,

    /// <summary>A historical run re-run against a draft by a what-if replay.</summary>
    Replay,

    /// <summary>One input tried against a draft from the workbench ("Try it").</summary>
    Trial,
}
