namespace AgentConsole.Access;

/// <summary>Whether a throttled action may go ahead, and if not when to try again.</summary>
public readonly record struct ThrottleResult(bool Allowed, TimeSpan RetryAfter)
{
    public static ThrottleResult Pass { get; } = new(true, TimeSpan.Zero);

    public static ThrottleResult Refused(TimeSpan retryAfter) => new(false, retryAfter);
}
