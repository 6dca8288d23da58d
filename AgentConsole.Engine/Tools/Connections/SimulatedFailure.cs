namespace AgentConsole.Engine.Tools;

/// <summary>
/// A fault an Admin can switch on for a sandbox connection, to see how agents behave when a system fails
/// (retries, then an escalation) before it happens in production. Ignored in live mode.
/// </summary>
public enum SimulatedFailure
{
    None,

    /// <summary>Every attempt fails as a server error would: retried with backoff, then the run escalates.</summary>
    Persistent,

    /// <summary>The first attempt of each call fails; the retry succeeds.</summary>
    FirstAttempt,
}
