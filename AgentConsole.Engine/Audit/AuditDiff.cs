using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Audit;

/// <summary>A before/after payload with the list of changed properties, for configuration changes.</summary>
public static class AuditDiff
{
    public sealed record Change(string Field, JsonNode? From, JsonNode? To);

    public static JsonObject Of<T>(T? before, T after)
    {
        var from = before is null ? null : JsonSerializer.SerializeToNode(before, AuditLog.PayloadJson) as JsonObject;
        var to = JsonSerializer.SerializeToNode(after, AuditLog.PayloadJson) as JsonObject ?? [];
        var changes = new JsonArray();
        foreach (var name in (from?.Select(p => p.Key) ?? []).Union(to.Select(p => p.Key)))
        {
            var a = from?[name];
            var b = to[name];
            if (!JsonNode.DeepEquals(a, b))
            {
                changes.Add(new JsonObject { ["field"] = name, ["from"] = a?.DeepClone(), ["to"] = b?.DeepClone() });
            }
        }

        return new JsonObject { ["before"] = from?.DeepClone(), ["after"] = to.DeepClone(), ["changes"] = changes };
    }

    public static IEnumerable<string> ChangedFields(JsonObject diff) =>
        diff["changes"]?.AsArray().Select(c => c?["field"]?.GetValue<string>() ?? "") ?? [];
}
