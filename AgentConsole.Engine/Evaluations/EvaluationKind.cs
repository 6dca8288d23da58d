namespace AgentConsole.Engine.Evaluations;

public enum EvaluationKind
{
    /// <summary>A test set run against a draft; scored case by case.</summary>
    TestSet,

    /// <summary>Historical runs re-run against a draft with their recorded tool results frozen; compared run by run.</summary>
    Replay,
}
