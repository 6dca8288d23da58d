namespace AgentConsole.Engine.DecisionTables;

/// <summary>A built-in FEEL function: its parameters (for named arguments), arity and body.</summary>
internal sealed record FeelBuiltin(string[] ParameterNames, int Min, int Max, Func<FeelValue[], FeelValue> Apply);
