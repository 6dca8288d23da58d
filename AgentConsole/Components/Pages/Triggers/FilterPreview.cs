using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Triggers;

namespace AgentConsole.Components.Pages.Triggers;

/// <summary>
/// The filter tab's preview: the filter and mapping as edited, applied to a sample payload as typed, exactly as the
/// inbox processor would (<see cref="TriggerEvaluation.Of"/>); nothing is stored or started.
/// </summary>
public sealed record FilterPreview(TriggerEvaluation? Evaluation, IReadOnlyDictionary<string, string[]> FilterErrors, string? SampleError)
{
    public static FilterPreview Of(FilterGroupModel filter, string sampleJson, Agent agent, IReadOnlyDictionary<string, string>? mapping)
    {
        var compiled = CompiledTriggerFilter.Compile(filter.ToFilter(), out var errors);
        JsonObject? payload;
        string? sampleError;
        try
        {
            payload = JsonNode.Parse(sampleJson) as JsonObject;
            sampleError = payload is null ? "The sample payload is a JSON object, e.g. {\"source\": \"website\"}." : null;
        }
        catch (JsonException ex)
        {
            payload = null;
            sampleError = $"Not valid JSON: {ex.Message}";
        }

        if (compiled is null || payload is null)
        {
            return new FilterPreview(null, errors, sampleError);
        }

        var draft = new Trigger { MappingJson = TriggerMapping.ToJson(mapping is { Count: > 0 } ? mapping : null) };
        return new FilterPreview(TriggerEvaluation.Of(draft, compiled, agent, payload), errors, null);
    }
}
