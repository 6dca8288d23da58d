using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// Checks values and models against a model's item definitions (structured records, collections, allowed values).
/// </summary>
internal static class ItemTypes
{
    /// <summary>Deeper than any sensible type; stops a value nested without end (or a cyclic type that slipped through) early.</summary>
    private const int MaxDepth = 64;

    /// <summary>Each item definition's allowed values, parsed and compiled once (keyed by the record instance, which is immutable).</summary>
    private static readonly ConditionalWeakTable<ItemDefinition, AllowedValuesTest> AllowedValuesCache = [];

    /// <summary>
    /// Converts a caller's value (CLR values, dictionaries, lists or <see cref="JsonElement"/>s) into a FEEL value of the
    /// item definition <paramref name="typeName"/> (null: any shape, converted as it comes). Returns null when it fits,
    /// otherwise a message that names the path from <paramref name="path"/> down, e.g.
    /// <c>Lead.address.country must be a string, not 12</c>.
    /// </summary>
    /// <remarks>
    /// A record becomes a <see cref="FeelContext"/> with its components in definition order; a missing component is
    /// null. Members the definition does not name are kept after the components: they do no harm (no expression of the
    /// model refers to them) and callers often send a larger record than a table needs.
    /// </remarks>
    public static string? TryCoerce(object? raw, string? typeName, DmnModel? model, string path, out FeelValue value) =>
        TryCoerce(raw, typeName, model, path, out value, out _);

    /// <summary>As above; <paramref name="at"/> is the path of the part that does not fit (e.g. <c>Lead.address.country</c>).</summary>
    public static string? TryCoerce(object? raw, string? typeName, DmnModel? model, string path, out FeelValue value, out string? at)
    {
        var problem = Check(raw, typeName, model, path, out value);
        at = problem?.Path;
        return problem?.Message;
    }

    private static TypeProblem? Check(object? raw, string? typeName, DmnModel? model, string path, out FeelValue value)
    {
        if (typeName is null)
        {
            value = FeelValue.FromClr(Plain(raw));
            return null;
        }

        ArgumentNullException.ThrowIfNull(model);
        if (model.FindItemDefinition(typeName) is not { } item)
        {
            value = FeelValue.Null;
            return new TypeProblem(path, $"{path} has the type '{typeName}', which is not an item definition of the model");
        }

        return Coerce(raw, item, model, path, 0, out value);
    }

    /// <summary>Errors in the model's types: unknown item definitions, cycles between definitions, allowed values that do not parse.</summary>
    public static IReadOnlyList<DecisionDiagnostic> Validate(DmnModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var errors = new List<DecisionDiagnostic>();
        void Error(string message, string? decision = null) =>
            errors.Add(new DecisionDiagnostic(DiagnosticSeverity.Error, message, decision, DecisionPart.Decision));

        foreach (var duplicate in model.ItemDefinitions.GroupBy(i => i.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            Error($"Item definition '{duplicate.Key}' is defined {duplicate.Count()} times; names of item definitions must be unique.");
        }

        foreach (var item in model.ItemDefinitions)
        {
            CheckDefinition(item, item.Name);
        }

        foreach (var cycle in FindCycles(model.ItemDefinitions))
        {
            Error(CycleMessage(cycle));
        }

        void CheckDefinition(ItemDefinition item, string where)
        {
            if (item.TypeRef is { } typeRef && !IsKnownType(typeRef, model))
            {
                Error($"The typeRef '{typeRef}' of {where} names no item definition of the model and no FEEL type.");
            }

            if (!string.IsNullOrWhiteSpace(item.AllowedValues) && AllowedValuesCache.GetValue(item, Compile).Error is { } error)
            {
                Error($"The allowed values of {where} do not parse: {error}");
            }

            foreach (var component in item.Components)
            {
                CheckDefinition(component, $"{where}.{component.Name}");
            }
        }

        void CheckName(string? typeName, string owner, string? decision = null)
        {
            if (typeName is not null && model.FindItemDefinition(typeName) is null)
            {
                Error($"The type '{typeName}' of {owner} is not an item definition of the model.", decision);
            }
        }

        foreach (var input in model.InputData)
        {
            CheckName(input.TypeName, $"input data '{input.Name}'");
        }

        foreach (var decision in model.Decisions)
        {
            CheckName(decision.TypeName, $"decision '{decision.Name}'", decision.Name);
        }

        foreach (var knowledge in model.KnowledgeModels)
        {
            CheckName(knowledge.TypeName, $"business knowledge model '{knowledge.Name}'");
            foreach (var parameter in knowledge.Parameters)
            {
                CheckName(parameter.TypeName, $"parameter '{parameter.Name}' of '{knowledge.Name}'");
            }
        }

        return errors;
    }

    /// <summary>
    /// Cycles between item definitions (<c>tA</c> has a component of type <c>tB</c>, which has one of type <c>tA</c>), each
    /// as the path of names from a definition back to itself. A collection of itself counts as a cycle too: such a
    /// recursive type has no end for the type checks and the editor, so models keep to finite nesting.
    /// </summary>
    public static List<List<string>> FindCycles(IEnumerable<ItemDefinition> definitions)
    {
        var byName = new Dictionary<string, ItemDefinition>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            byName.TryAdd(definition.Name, definition);
        }

        var cycles = new List<List<string>>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var name in byName.Keys)
        {
            Visit(name);
        }

        return cycles;

        void Visit(string name)
        {
            var at = path.IndexOf(name);
            if (at >= 0)
            {
                var cycle = path.Skip(at).Append(name).ToList();
                if (cycle.Take(cycle.Count - 1).All(reported.Add))
                {
                    cycles.Add(cycle);
                }

                return;
            }

            if (done.Contains(name))
            {
                return;
            }

            path.Add(name);
            foreach (var reference in References(byName[name]).Where(byName.ContainsKey))
            {
                Visit(reference);
            }

            path.RemoveAt(path.Count - 1);
            done.Add(name);
        }

        static IEnumerable<string> References(ItemDefinition item) =>
            (item.TypeRef is { } typeRef ? [typeRef] : Enumerable.Empty<string>()).Concat(item.Components.SelectMany(References));
    }

    public static string CycleMessage(IReadOnlyList<string> cycle) =>
        $"Item definitions refer to each other in a cycle: {string.Join(" → ", cycle)} (a record or collection may not contain itself, directly or through other definitions).";

    /// <summary>FEEL's generic type names (<c>context</c>, <c>list&lt;number&gt;</c>, ...), which type nothing more than "any" here.</summary>
    public static bool IsGenericFeelType(string typeRef)
    {
        var name = typeRef.Trim();
        var angle = name.IndexOf('<', StringComparison.Ordinal);
        var head = (angle >= 0 ? name[..angle] : name).Trim();
        return head.ToLowerInvariant() is "context" or "list" or "range" or "function" or "any";
    }

    private static bool IsKnownType(string typeRef, DmnModel model) =>
        model.FindItemDefinition(typeRef) is not null || DmnText.TryParseTypeRef(typeRef, out _) || IsGenericFeelType(typeRef);

    private static TypeProblem? Coerce(object? raw, ItemDefinition item, DmnModel model, string path, int depth, out FeelValue value)
    {
        value = FeelValue.Null;
        if (depth > MaxDepth)
        {
            return new TypeProblem(path, $"{path} is nested more than {MaxDepth} levels deep");
        }

        if (raw is null || raw is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined })
        {
            return null;
        }

        TypeProblem? problem;
        if (item.IsCollection)
        {
            if (!IsList(raw))
            {
                return new TypeProblem(path, $"{path} must be a list, not {Render(raw)}");
            }

            var element = item with { IsCollection = false, AllowedValues = null };
            var items = new List<FeelValue>();
            var index = 0;
            foreach (var member in Items(raw))
            {
                index++;
                problem = Coerce(member, element, model, $"{path}[{index}]", depth + 1, out var coerced);
                if (problem is not null)
                {
                    return problem;
                }

                problem = CheckAllowed(item, coerced, $"{path}[{index}]");
                if (problem is not null)
                {
                    return problem;
                }

                items.Add(coerced);
            }

            value = FeelValue.FromList([.. items]);
            return null;
        }

        if (!item.Components.IsEmpty)
        {
            problem = Record(raw, item, model, path, depth, out value);
        }
        else if (item.TypeRef is { } typeRef && model.FindItemDefinition(typeRef) is { } baseItem && !ReferenceEquals(baseItem, item))
        {
            problem = Coerce(raw, baseItem, model, path, depth + 1, out value);
        }
        else
        {
            problem = Simple(raw, item.TypeRef, path, out value);
        }

        return problem ?? CheckAllowed(item, value, path);
    }

    private static TypeProblem? Record(object raw, ItemDefinition item, DmnModel model, string path, int depth, out FeelValue value)
    {
        value = FeelValue.Null;
        if (Members(raw) is not { } members)
        {
            return new TypeProblem(path, $"{path} must be a record with {string.Join(", ", item.Components.Select(c => c.Name))}, not {Render(raw)}");
        }

        var keys = new List<string>();
        var values = new List<FeelValue>();
        foreach (var component in item.Components)
        {
            var member = members.FirstOrDefault(m => string.Equals(m.Key, component.Name, StringComparison.Ordinal));
            var problem = Coerce(member.Value, component, model, $"{path}.{component.Name}", depth + 1, out var coerced);
            if (problem is not null)
            {
                return problem;
            }

            keys.Add(component.Name);
            values.Add(coerced);
        }

        foreach (var (key, extra) in members)
        {
            if (!keys.Contains(key, StringComparer.Ordinal))
            {
                keys.Add(key);
                values.Add(FeelValue.FromClr(Plain(extra)));
            }
        }

        value = FeelValue.FromContext(new FeelContext([.. keys], [.. values]));
        return null;
    }

    private static TypeProblem? Simple(object raw, string? typeRef, string path, out FeelValue value)
    {
        FeelType? type = null;
        if (typeRef is not null && !DmnText.TryParseTypeRef(typeRef, out type))
        {
            // A generic FEEL type (context, list<...>): any value passes; Validate reports names that are neither.
            value = FeelValue.FromClr(Plain(raw));
            return null;
        }

        if (type is null)
        {
            value = FeelValue.FromClr(Plain(raw));
            return null;
        }

        if (IsList(raw) || Members(raw) is not null)
        {
            value = FeelValue.Null;
            return new TypeProblem(path, $"{path} must be {FeelCoercion.Describe(type.Value)}, not {Render(raw)}");
        }

        return FeelCoercion.TryCoerce(raw, type, out value) is null ? null : new TypeProblem(path, $"{path} must be {FeelCoercion.Describe(type.Value)}, not {Render(raw)}");
    }

    private static TypeProblem? CheckAllowed(ItemDefinition item, FeelValue value, string path)
    {
        if (string.IsNullOrWhiteSpace(item.AllowedValues) || value.IsNull)
        {
            return null;
        }

        var allowed = AllowedValuesCache.GetValue(item, Compile);
        if (allowed.Test is null)
        {
            return new TypeProblem(path, $"{path} cannot be checked: the allowed values of '{item.Name}' do not parse ({allowed.Error})");
        }

        return allowed.Test(value, []) == Tri.True ? null : new TypeProblem(path, $"{path} is {value}, which is not one of its allowed values {allowed.Text}");
    }

    private static AllowedValuesTest Compile(ItemDefinition item)
    {
        var text = item.AllowedValues!.Trim();
        var parsed = FeelParser.ParseUnaryTests(text, FeelNames.Lenient);
        return parsed.Success
            ? new AllowedValuesTest(FeelCompiler.CompileTest(parsed.Value!, static _ => -1), text, null)
            : new AllowedValuesTest(null, text, parsed.Error!.Message);
    }

    private static bool IsList(object raw) => raw switch
    {
        JsonElement json => json.ValueKind == JsonValueKind.Array,
        string => false,
        IDictionary or IReadOnlyDictionary<string, object?> => false,
        IEnumerable => true,
        _ => false,
    };

    private static IEnumerable<object?> Items(object raw) => raw is JsonElement json
        ? json.EnumerateArray().Select(e => (object?)e)
        : ((IEnumerable)raw).Cast<object?>();

    private static List<KeyValuePair<string, object?>>? Members(object raw) => raw switch
    {
        JsonElement { ValueKind: JsonValueKind.Object } json => [.. json.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value))],
        IReadOnlyDictionary<string, object?> record => [.. record],
        IDictionary<string, object?> record => [.. record],
        IDictionary record => [.. record.Keys.Cast<object>().Select(k => new KeyValuePair<string, object?>(Convert.ToString(k, CultureInfo.InvariantCulture) ?? "", record[k]))],
        _ => null,
    };

    /// <summary>The value with JSON turned into plain CLR values, for <see cref="FeelValue.FromClr"/> and messages.</summary>
    private static object? Plain(object? raw) => raw switch
    {
        JsonElement json => FromJson(json),
        _ when raw is not null && Members(raw) is { } members && raw is not IReadOnlyDictionary<string, object?> and not IDictionary<string, object?> =>
            members.ToDictionary(m => m.Key, m => Plain(m.Value), StringComparer.Ordinal),
        _ => raw,
    };

    private static string Render(object raw) => FeelValue.FromClr(Plain(raw)) is { Kind: not FeelKind.Other } value ? value.ToString() : raw.ToString() ?? "?";

    private static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => json.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value)),
        JsonValueKind.Array => json.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number => json.TryGetDecimal(out var number) ? number : json.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>What does not fit, and where: the path travels as data, not parsed back out of the message.</summary>
    private readonly record struct TypeProblem(string Path, string Message);

    private sealed record AllowedValuesTest(FeelTest? Test, string Text, string? Error);
}
