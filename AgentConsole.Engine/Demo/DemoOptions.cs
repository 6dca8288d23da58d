namespace AgentConsole.Engine.Demo;

/// <summary>Bound from <c>AgentConsole:Demo</c>.</summary>
public sealed class DemoOptions
{
    public const string Section = "AgentConsole:Demo";

    /// <summary>Seed the demo workspace (the lead-router agent and one user per role) into an empty database.</summary>
    public bool Seed { get; set; } = true;

    /// <summary>
    /// On first start, also run the demo agent on three sample leads that each need a person (a large account, an
    /// e-mail to a key account waiting for approval, a delivery that hard-bounces), so the review queue has cases to
    /// try at once. Off by default; the app's appsettings.json turns it on.
    /// </summary>
    public bool SampleRuns { get; set; }

    /// <summary>Password for the demo users; when empty each gets a generated one, printed once.</summary>
    public string? UserPassword { get; set; }
}
