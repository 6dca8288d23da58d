namespace AgentConsole.Engine.Jobs;

/// <summary>
/// The Hangfire queues. Evaluations, replays and "Try it" runs have their own queue and their own server's workers
/// (<see cref="JobsOptions.EvaluationWorkerCount"/>), so a 200-case evaluation never takes a worker a production run needs.
/// </summary>
public static class JobQueues
{
    public const string Default = "default";
    public const string Evaluations = "evaluations";
}
