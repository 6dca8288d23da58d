namespace AgentConsole.Engine.Alerts;

public enum AlertAcknowledgeOutcome
{
    Acknowledged,

    /// <summary>Someone acknowledged it before; their name and time stay.</summary>
    AlreadyAcknowledged,

    /// <summary>It resolved before anyone acknowledged it: nothing left to acknowledge.</summary>
    NotFiring,
    NotFound,
}
