using AgentConsole.Engine.Triggers;

namespace AgentConsole.Components.Pages.Triggers;

/// <summary>One row of the triggers list: the trigger and its recent volume.</summary>
public sealed record TriggerRow(Trigger Trigger, int EventsLastWeek, DateTimeOffset? LastEventAt);
