namespace AgentConsole.Engine.Triggers;

/// <summary>Where an inbox event stands. Received events are waiting for the filter; every other status is final.</summary>
public enum TriggerEventStatus
{
    /// <summary>Persisted (and acknowledged), not yet filtered.</summary>
    Received,

    /// <summary>The filter did not match; <see cref="TriggerEvent.Reason"/> says which condition.</summary>
    FilteredOut,

    /// <summary>The filter matched and a run was started (<see cref="TriggerEvent.RunId"/>).</summary>
    RunStarted,

    /// <summary>The filter matched but no run could start (mapping, a paused or deleted agent); the reason says why.</summary>
    Failed,

    /// <summary>Refused at the door (signature, timestamp, size, content type, disabled); kept without its body.</summary>
    Rejected,

    /// <summary>Same de-duplication key as an earlier event within the window; <see cref="TriggerEvent.DuplicateOf"/>.</summary>
    Duplicate,
}
