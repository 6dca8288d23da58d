using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Jobs;

/// <summary>Bound from <c>AgentConsole:Jobs</c>: the in-process Hangfire server.</summary>
public sealed class JobsOptions
{
    public const string Section = "AgentConsole:Jobs";

    /// <summary>Run a Hangfire server in this process. Turn off on web-only instances of a scale-out.</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>Concurrent job workers. Agent runs mostly wait on model calls, so more than cores.</summary>
    [Range(1, 200)]
    public int WorkerCount { get; set; } = 20;

    /// <summary>
    /// Workers of the second in-process server that serves only the evaluations queue (evaluations, replays, "Try it"):
    /// they never take production runs, and production workers never take theirs.
    /// </summary>
    [Range(1, 50)]
    public int EvaluationWorkerCount { get; set; } = 2;

    /// <summary>How often idle workers poll the SQLite queue; the storage's own default is 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A fetched job not finished within this time is handed to another worker; jobs must be safe to run twice.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
