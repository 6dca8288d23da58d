using System.Text.Json;

namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// Checks values and models against a model's item definitions (structured records, collections, allowed values).
/// </summary>
internal static class ItemTypes
{
    /// <summary>
    /// Converts a caller's value (CLR values, dictionaries, lists or <see cref="JsonElement"/>s) into a FEEL value of the
    /// item definition <paramref name="typeName"/> (null: any shape, converted as it comes). Returns null when it fits, otherwise a message that names the path
    /// from <paramref name="path"/> down, e.g. <c>Lead.address.country must be a string, not 12</c>.
    /// </summary>
    public static string? TryCoerce(object? raw, string? typeName, DmnModel? model, string path, out FeelValue value)
    {
        // Groundwork: accepts any shape; the item-definition checks replace this body.
        value = raw is JsonElement json ? FeelValue.FromClr(FromJson(json)) : FeelValue.FromClr(raw);
        return null;
    }

    /// <summary>Errors in the model's types: unknown item definitions, cycles between definitions.</summary>
    public static IReadOnlyList<DecisionDiagnostic> Validate(DmnModel model) => [];

    private static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => json.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value)),
        JsonValueKind.Array => json.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number => json.GetDecimal(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
