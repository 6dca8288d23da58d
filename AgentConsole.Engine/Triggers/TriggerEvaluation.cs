using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Runs;

namespace AgentConsole.Engine.Triggers;

/// <summary>What a payload would do at a trigger: pass or fail its filter, and the agent input it maps to (with any input errors).</summary>
public sealed record TriggerEvaluation(FilterOutcome Filter, JsonObject? Input, IReadOnlyDictionary<string, string[]> InputErrors)
{
    /// <summary>Filter and mapping, exactly as the inbox processor applies them; nothing is stored or started.</summary>
    public static TriggerEvaluation Of(Trigger trigger, CompiledTriggerFilter filter, Agent agent, JsonObject payload)
    {
        var outcome = filter.Evaluate(payload);
        if (!outcome.Matched)
        {
            return new TriggerEvaluation(outcome, null, new Dictionary<string, string[]>());
        }

        var input = TriggerMapping.Apply(TriggerMapping.FromJson(trigger.MappingJson), payload, agent);
        return new TriggerEvaluation(outcome, input, RunInputValidation.Validate(agent, input));
    }

    /// <summary>Compiles a stored filter (validated when it was saved).</summary>
    public static CompiledTriggerFilter FilterOf(Trigger trigger) =>
        CompiledTriggerFilter.Compile(TriggerFilter.FromJson(trigger.FilterJson), out var errors)
        ?? throw new InvalidOperationException($"Trigger '{trigger.Key}' has an invalid stored filter: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}"))}");
}
