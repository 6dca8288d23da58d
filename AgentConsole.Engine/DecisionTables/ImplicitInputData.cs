namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// Tables written by hand (in the editor or as the demo) name their inputs in the input expressions only.
/// A DMN model needs those declared as input data, so stored models declare every plain-name input expression.
/// </summary>
public static class ImplicitInputData
{
    public static DmnModel Declare(DmnModel model)
    {
        var known = new HashSet<string>(model.InputData.Select(i => i.Name), StringComparer.Ordinal);
        known.UnionWith(model.Decisions.Select(d => d.Name));
        var added = new List<InputData>();
        foreach (var input in model.Decisions.OfType<DecisionTableDefinition>().SelectMany(t => t.Inputs))
        {
            var name = input.Expression.Trim();
            if (FeelNames.IsPlainName(name) && !IsPathInto(name, known) && known.Add(name))
            {
                added.Add(new InputData { Id = "input_" + Slug.From(name).Replace('-', '_'), Name = name, TypeRef = input.TypeRef });
            }
        }

        return added.Count == 0 ? model : model with { InputData = [.. model.InputData, .. added] };
    }

    // "Lead.employees" over a declared "Lead" is a path into that input's record, not a new input of its own.
    private static bool IsPathInto(string name, HashSet<string> known)
    {
        for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot > 0; dot = name.IndexOf('.', dot + 1))
        {
            if (known.Contains(name[..dot].TrimEnd()))
            {
                return true;
            }
        }

        return false;
    }
}
