namespace AgentConsole.Engine.Runs;

/// <summary>
/// The executor's lease is no longer the run's (it lapsed and another executor took the run, or the run was ended
/// meanwhile). The executor stops at once and writes nothing more.
/// </summary>
public sealed class RunLeaseLostException : Exception
{
    public RunLeaseLostException()
        : base("The executor lost the run's lease.")
    {
    }

    public RunLeaseLostException(string message)
        : base(message)
    {
    }

    public RunLeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
