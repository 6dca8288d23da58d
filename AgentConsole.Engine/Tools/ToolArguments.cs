using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace AgentConsole.Engine.Tools;

/// <summary>
/// Checks a call's arguments against the tool's JSON schema before its connector is called; the message names each
/// failing path so the model can correct the call.
/// </summary>
public static class ToolArguments
{
    /// <summary>Largest argument document a tool accepts; larger ones are refused before any parsing work.</summary>
    public const int MaxArgumentChars = 65_536;

    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new(StringComparer.Ordinal);

    /// <summary>Null when the arguments fit the schema, otherwise what is wrong, path by path.</summary>
    public static string? Validate(ToolDefinition tool, JsonObject arguments)
    {
        var text = arguments.ToJsonString();
        if (text.Length > MaxArgumentChars)
        {
            return $"The arguments are {text.Length:N0} characters; {tool.Key} accepts at most {MaxArgumentChars:N0}.";
        }

        var schema = Schemas.GetOrAdd(tool.ParametersSchema, s => JsonSchema.FromText(s, new BuildOptions()));
        using var document = JsonDocument.Parse(text);
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return null;
        }

        var problems = (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Values.Select(e => $"{Path(d.InstanceLocation.ToString())}: {e}"))
            .Distinct(StringComparer.Ordinal)
            .Take(10)
            .ToList();
        if (problems.Count == 0 && result.Errors is { Count: > 0 } top)
        {
            problems.AddRange(top.Values.Select(e => $"arguments: {e}"));
        }

        return $"The arguments do not fit {tool.Key}'s parameters: {string.Join("; ", problems.DefaultIfEmpty("they do not match the schema"))}.";
    }

    private static string Path(string pointer) => pointer is "" or "#" or "/" ? "arguments" : pointer.TrimStart('#').TrimStart('/').Replace('/', '.');
}
