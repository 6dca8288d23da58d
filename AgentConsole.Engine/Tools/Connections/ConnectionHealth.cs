namespace AgentConsole.Engine.Tools;

/// <summary>Whether a connection is usable right now, in words an Admin can act on.</summary>
public sealed record ConnectionHealth(bool IsHealthy, string Message)
{
    public static ConnectionHealth Healthy(string message) => new(true, message);

    public static ConnectionHealth Unhealthy(string message) => new(false, message);
}
