using System.Text;
using System.Text.Json;
using AgentConsole.Engine.Runs;

namespace AgentConsole.Components.Pages.Runs;

/// <summary>What the timeline says about one step besides its title: the numbers that matter for its kind, and its detail JSON.</summary>
public sealed record RunStepView(string? Meta, string? Detail)
{
    public static RunStepView From(RunStep step)
    {
        var detail = string.IsNullOrWhiteSpace(step.DetailJson) ? null : RunDisplay.PrettyJson(step.DetailJson);
        return new RunStepView(Describe(step), detail);
    }

    private static string? Describe(RunStep step)
    {
        var parts = new List<string>();
        switch (step.Kind)
        {
            case RunStepKind.ModelCall:
                if (step.InputTokens is { } input && step.OutputTokens is { } output)
                {
                    parts.Add($"{RunDisplay.Tokens(input, output, step.UsageEstimated)} tokens{(step.UsageEstimated ? " (estimated)" : "")}");
                }

                if (step.CostUsd is { } cost)
                {
                    parts.Add(RunDisplay.Cost(cost));
                }

                if (step.DurationMs is { } latency)
                {
                    parts.Add($"{RunDisplay.Duration(latency)} latency");
                }

                break;
            case RunStepKind.ToolCall:
                if (step.ToolName is not null)
                {
                    parts.Add(step.ToolName);
                }

                if (Read(step.DetailJson, "arguments") is { } arguments)
                {
                    parts.Add("args " + RunDisplay.Truncate(arguments, 120));
                }

                if (Read(step.DetailJson, step.IsError ? "error" : "result") is { } result)
                {
                    parts.Add((step.IsError ? "error " : "→ ") + RunDisplay.Truncate(result, 120));
                }

                if (step.DurationMs is { } duration)
                {
                    parts.Add(RunDisplay.Duration(duration));
                }

                break;
            case RunStepKind.Decision:
                if (Read(step.DetailJson, "result") is { } decided)
                {
                    parts.Add("result " + RunDisplay.Truncate(decided, 120));
                }

                if (Read(step.DetailJson, "matchedRules") is { } rules)
                {
                    parts.Add("matched rules " + rules.Trim('[', ']').Replace("\"", "", StringComparison.Ordinal));
                }

                break;
        }

        return parts.Count == 0 ? null : string.Join(" · ", parts);
    }

    /// <summary>A property of the detail as compact text: strings bare, anything else as JSON.</summary>
    private static string? Read(string? json, string property)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty(property, out var value)
                || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String ? value.GetString() : Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(value, RelaxedOptions));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions RelaxedOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
