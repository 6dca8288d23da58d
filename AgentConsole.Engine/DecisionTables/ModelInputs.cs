using System.Text.Json;

namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// Turns a caller's inputs into what a model's input data expect before evaluation: an input typed by an item
/// definition (a record or a list) is checked and converted by <see cref="ItemTypes"/>, so a wrong value is refused with
/// the path inside it named (<c>Lead.address.country</c>); an untyped JSON object or array arrives as a record or list.
/// </summary>
public static class ModelInputs
{
    /// <summary>Null when the inputs need no change (the common flat case, at no cost); else the new inputs or the error.</summary>
    internal static (IReadOnlyDictionary<string, object?>? Inputs, DecisionError? Error)? Prepare(DmnModel model, IReadOnlyDictionary<string, object?> inputs)
    {
        Dictionary<string, object?>? prepared = null;
        foreach (var input in model.InputData)
        {
            if (!inputs.TryGetValue(input.Name, out var raw) || raw is null)
            {
                continue;
            }

            if (input.TypeName is { } typeName)
            {
                if (ItemTypes.TryCoerce(raw, typeName, model, input.Name, out var value) is { } problem)
                {
                    return (null, new DecisionError(DecisionErrorKind.InvalidInput, $"Input {problem}", default, input.Name));
                }

                Set(input.Name, value.ToClr());
            }
            else if (raw is JsonElement { ValueKind: JsonValueKind.Object or JsonValueKind.Array } json)
            {
                Set(input.Name, FeelValue.FromClr(FromJson(json)).ToClr());
            }
        }

        return prepared is null ? null : (prepared, null);

        void Set(string name, object? value)
        {
            prepared ??= new Dictionary<string, object?>(inputs, StringComparer.Ordinal);
            prepared[name] = value;
        }
    }

    /// <summary>The path an <see cref="ItemTypes"/> message names (its first words, up to " must "), else the input's name.</summary>
    public static string PathOf(DecisionError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error.Message.StartsWith("Input ", StringComparison.Ordinal) ? error.Message["Input ".Length..] : error.Message;
        var name = error.InputName ?? "";
        var end = message.IndexOf(" must ", StringComparison.Ordinal);
        return name.Length > 0 && end >= name.Length && message.StartsWith(name, StringComparison.Ordinal) ? message[..end] : name;
    }

    private static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => json.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => json.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number => json.TryGetDecimal(out var d) ? d : json.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
