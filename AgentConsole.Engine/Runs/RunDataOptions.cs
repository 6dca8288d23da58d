using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// Bound from <c>AgentConsole:RunData</c>: how long the raw values of ended runs (input, placeholder map,
/// conversation, tool journal) are kept. The redacted timeline, totals and output are kept with the run.
/// </summary>
public sealed class RunDataOptions
{
    public const string Section = "AgentConsole:RunData";

    /// <summary>Days after a run ended (succeeded, failed or cancelled) before its raw data is deleted; like the audit log's default.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Runs purged per transaction, so a large backlog never holds the database for long.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;
}
