namespace AgentConsole.Engine.Triggers;

/// <summary>
/// One test of a filter: the value at <see cref="Path"/> in the event payload (dots between names, e.g.
/// <c>lead.address.country</c>) must pass the S-FEEL unary tests in <see cref="Test"/> — the same language as a
/// decision table's input entries: <c>"website"</c>, <c>"Retail","SaaS"</c>, <c>&gt; 50</c>, <c>[10..500]</c>,
/// <c>not("spam")</c>, <c>null</c>, <c>not(null)</c>, <c>-</c>.
/// </summary>
public sealed record TriggerCondition(string Path, string Test);
