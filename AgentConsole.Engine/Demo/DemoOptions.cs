namespace AgentConsole.Engine.Demo;

/// <summary>Bound from <c>AgentConsole:Demo</c>.</summary>
public sealed class DemoOptions
{
    public const string Section = "AgentConsole:Demo";

    /// <summary>Seed the demo workspace (the lead-router agent and one user per role) into an empty database.</summary>
    public bool Seed { get; set; } = true;

    /// <summary>Password for the demo users; when empty each gets a generated one, printed once.</summary>
    public string? UserPassword { get; set; }
}
