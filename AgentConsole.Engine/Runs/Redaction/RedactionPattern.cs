namespace AgentConsole.Engine.Runs.Redaction;

/// <summary>A custom pattern of one agent: every whole match of <paramref name="Pattern"/> becomes <c>&lt;Name_n&gt;</c>.</summary>
/// <param name="Name">Placeholder name, A–Z, 0–9 and _ starting with a letter, e.g. <c>ORDER_ID</c>.</param>
/// <param name="Pattern">A .NET regular expression.</param>
public sealed record RedactionPattern(string Name, string Pattern);
