namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// A business knowledge model as a callable function. Created before any body is compiled, so decisions and other
/// knowledge models can call it whatever the order in the file; <see cref="Body"/> is set once the body compiles.
/// </summary>
internal sealed class KnowledgeFunction(string name, string[] parameters, FeelType?[] parameterTypes)
{
    public string Name { get; } = name;

    public IReadOnlyList<string> Parameters { get; } = parameters;

    public IReadOnlyList<FeelType?> ParameterTypes { get; } = parameterTypes;

    /// <summary>Evaluates the body with the arguments in parameter order; null until compiled.</summary>
    public Func<FeelValue[], FeelValue>? Body { get; set; }

    public FeelValue Invoke(FeelValue[] arguments)
    {
        for (var i = 0; i < arguments.Length; i++)
        {
            // FEEL: an argument that does not conform to the parameter's type makes the invocation null.
            if (ParameterTypes[i] is { } type && !arguments[i].IsNull
                && FeelCoercion.TryCoerce(arguments[i], type, out arguments[i]) is not null)
            {
                return FeelValue.Null;
            }
        }

        if (Body is not { } body || !FeelBudget.Enter())
        {
            return FeelValue.Null;
        }

        try
        {
            return body(arguments);
        }
        finally
        {
            FeelBudget.Leave();
        }
    }
}
