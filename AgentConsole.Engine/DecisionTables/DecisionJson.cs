using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentConsole.Engine.DecisionTables;

/// <summary>How decision models are stored and sent as JSON: camelCase, enums as names.</summary>
public static class DecisionJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(DmnModel model) => JsonSerializer.Serialize(model, Options);

    public static DmnModel Deserialize(string json) =>
        JsonSerializer.Deserialize<DmnModel>(json, Options) ?? throw new JsonException("The stored decision model is empty.");
}
