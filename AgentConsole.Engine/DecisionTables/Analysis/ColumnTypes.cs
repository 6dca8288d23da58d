namespace AgentConsole.Engine.DecisionTables.Analysis;

/// <summary>
/// What the model's types say about an input column whose expression is a name or a path of names
/// (<c>Lead.employees</c>, <c>Applicant.address.country</c>): the simple type, whether the value is a list, and the
/// nearest allowed values. <see cref="Root"/> and <see cref="Members"/> spell the path, so examples can be nested.
/// </summary>
internal sealed record ColumnType(string Root, IReadOnlyList<string> Members, FeelType? Type, bool IsCollection, string? AllowedValues, string? TypeName)
{
    /// <summary>The canonical spelling, e.g. <c>Lead.address.country</c>, used as the column's variable key.</summary>
    public string Path => Members.Count == 0 ? Root : $"{Root}.{string.Join('.', Members)}";
}

/// <summary>Resolves input expressions against a model's input data, decisions and item definitions.</summary>
internal static class ColumnTypes
{
    // Item definitions may refer to each other; a chain longer than this is a cycle the type checks report elsewhere.
    private const int MaxTypeChain = 32;

    /// <summary>
    /// The path an input expression spells: a <see cref="FeelPath"/> chain over a name, or (for parsers that read
    /// <c>Lead.employees</c> as one dotted name) the longest known root followed by dot-separated members.
    /// Null when the expression is not a plain name or path.
    /// </summary>
    public static (string Root, List<string> Members)? PathOf(FeelExpression? parsed, string text, IReadOnlySet<string> roots)
    {
        // A dotted name the parser took whole (or that stored tables declared as an input of its own) is still a path
        // when a known root starts it: Lead.employees reads the employees of the input Lead.
        if (parsed is not null && Segments(parsed) is { } segments)
        {
            return segments.Members.Count == 0 && SplitDotted(segments.Root, roots) is { } dotted ? dotted : segments;
        }

        var trimmed = text.Trim();
        return SplitDotted(trimmed, roots) ?? (roots.Contains(trimmed) ? (trimmed, []) : null);
    }

    /// <summary>Resolves the type of <paramref name="path"/> in <paramref name="model"/>; null when the model does not declare it.</summary>
    public static ColumnType? Resolve(DmnModel model, (string Root, List<string> Members) path)
    {
        var (root, members) = path;
        var state = RootType(model, root);
        if (state is null)
        {
            return null;
        }

        var current = state.Value;
        foreach (var member in members)
        {
            var component = current.Definition?.Components.FirstOrDefault(c => string.Equals(c.Name, member, StringComparison.Ordinal));
            if (component is null)
            {
                return null;
            }

            // A path through a list yields a list (FEEL maps the path over the items). A component's own type is named
            // by its typeRef when that is an item definition, otherwise by where it sits (tLead.employees).
            var next = Flatten(model, component);
            var typeName = !string.IsNullOrWhiteSpace(component.TypeRef) && model.FindItemDefinition(component.TypeRef.Trim()) is { } named
                ? named.Name
                : $"{current.TypeName ?? root}.{member}";
            current = next with { IsCollection = next.IsCollection || current.IsCollection, TypeName = typeName };
        }

        return new ColumnType(root, members, current.Type, current.IsCollection, current.AllowedValues, current.TypeName);
    }

    private readonly record struct TypeState(ItemDefinition? Definition, FeelType? Type, bool IsCollection, string? AllowedValues, string? TypeName);

    private static TypeState? RootType(DmnModel model, string root)
    {
        foreach (var input in model.InputData)
        {
            if (string.Equals(input.Name, root, StringComparison.Ordinal))
            {
                return Named(model, input.TypeName, input.TypeRef, input.AllowedValues);
            }
        }

        foreach (var decision in model.Decisions)
        {
            if (string.Equals(decision.Name, root, StringComparison.Ordinal))
            {
                var simple = decision switch
                {
                    LiteralExpressionDecision literal => literal.TypeRef,
                    DecisionTableDefinition { Outputs.Count: 1 } table => table.Outputs[0].TypeRef,
                    _ => null,
                };
                return Named(model, decision.TypeName, simple, null);
            }
        }

        return null;
    }

    private static TypeState Named(DmnModel model, string? typeName, FeelType? simple, string? allowed)
    {
        if (!string.IsNullOrWhiteSpace(typeName) && model.FindItemDefinition(typeName.Trim()) is { } definition)
        {
            var state = Flatten(model, definition);
            return state with { AllowedValues = string.IsNullOrWhiteSpace(allowed) ? state.AllowedValues : allowed };
        }

        return new TypeState(null, simple, false, string.IsNullOrWhiteSpace(allowed) ? null : allowed, typeName);
    }

    /// <summary>Follows an item definition's typeRef through other item definitions to its record shape or simple type.</summary>
    private static TypeState Flatten(DmnModel model, ItemDefinition definition)
    {
        var collection = false;
        string? allowed = null;
        var current = definition;
        for (var depth = 0; depth < MaxTypeChain; depth++)
        {
            collection |= current.IsCollection;

            // The nearest restriction wins: a derived type's allowed values narrow its base type's.
            allowed ??= string.IsNullOrWhiteSpace(current.AllowedValues) ? null : current.AllowedValues;
            if (current.Components.Count > 0 || string.IsNullOrWhiteSpace(current.TypeRef))
            {
                return new TypeState(current, null, collection, allowed, definition.Name);
            }

            if (DmnText.TryParseTypeRef(current.TypeRef, out var simple))
            {
                return new TypeState(null, simple, collection, allowed, definition.Name);
            }

            if (model.FindItemDefinition(current.TypeRef.Trim()) is not { } based || ReferenceEquals(based, current))
            {
                break;
            }

            current = based;
        }

        return new TypeState(null, null, collection, allowed, definition.Name);
    }

    private static (string Root, List<string> Members)? Segments(FeelExpression expression)
    {
        switch (expression)
        {
            case FeelName name:
                return (name.Name, []);
            case FeelPath path when Segments(path.Target) is { } target:
                target.Members.Add(path.Member);
                return target;
            default:
                return null;
        }
    }

    private static (string Root, List<string> Members)? SplitDotted(string text, IReadOnlySet<string> roots)
    {
        // Longest root first, so "Lead Data.size" prefers the input "Lead Data" over "Lead".
        foreach (var root in roots.OrderByDescending(r => r.Length))
        {
            if (text.Length > root.Length + 1 && text.StartsWith(root, StringComparison.Ordinal) && text[root.Length] == '.')
            {
                var members = text[(root.Length + 1)..].Split('.').Select(m => m.Trim()).ToList();
                if (members.All(m => m.Length > 0))
                {
                    return (root, members);
                }
            }
        }

        return null;
    }
}
