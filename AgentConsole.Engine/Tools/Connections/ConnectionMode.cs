namespace AgentConsole.Engine.Tools;

/// <summary>Where a connection's effects land.</summary>
public enum ConnectionMode
{
    /// <summary>In this app's own tables, visible in the UI; nothing leaves the app.</summary>
    Sandbox,

    /// <summary>In the real system the connection's settings point at.</summary>
    Live,
}
