namespace AgentConsole.Engine.Evaluations;

/// <summary>Where a test case comes from, as the practice guide sorts them.</summary>
public enum TestCaseKind
{
    Synthetic,
    Edge,
    Adversarial,
    Historical,
}
