namespace AgentConsole.Engine.Runs;

/// <summary>Thrown by the limits middleware before a model call the run may not make.</summary>
public sealed class RunLimitExceededException : Exception
{
    public RunLimitExceededException()
    {
    }

    public RunLimitExceededException(string message)
        : base(message)
    {
    }

    public RunLimitExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RunLimitExceededException(RunLimit limit, string message)
        : base(message) => Limit = limit;

    public RunLimit Limit { get; }
}
