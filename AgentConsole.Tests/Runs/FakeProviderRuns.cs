using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Models;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Runs;

/// <summary>What the tests that run the demo agent against a real OpenAI-compatible endpoint share.</summary>
internal static class FakeProviderRuns
{
    /// <summary>More than 500 employees: the demo's table routes it to human review before any model call.</summary>
    public const string EnterpriseLead = """{"name":"Sam Park","email":"sam@bigbank.example","company":"Big Bank","employees":1200,"industry":"Banking"}""";

    public const string MidMarketLead = """{"name":"Dana Lee","email":"dana@acme.example","company":"Acme GmbH","employees":42,"industry":"Software"}""";

    /// <summary>A host whose demo agent uses the provider "fake" at <paramref name="endpoint"/>.</summary>
    public static async Task<RunHost> StartHostAsync(
        FakeModelEndpoint endpoint, string folder, FakeTimeProvider? time = null, Action<AgentDefinition>? agent = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null,
        params (string Key, string? Value)[] settings)
    {
        // Later settings win, so a test can change one of the default provider's (one in-memory source rejects duplicates).
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in RunHost.Provider(endpoint.BaseAddress).Concat(settings))
        {
            merged[key] = value;
        }

        var host = await RunHost.StartAsync(folder, time, services, [.. merged.Select(s => (s.Key, s.Value))]);
        try
        {
            await host.UpdateDemoAgentAsync(a =>
            {
                a.Model = "fake";
                agent?.Invoke(a);
            });
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls <paramref name="condition"/> (real time) until it holds; fails after 30 s naming <paramref name="what"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var patience = TimeSpan.FromSeconds(30);
        var until = DateTime.UtcNow + patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"Waited {patience.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The run's timeline, for assertion messages.</summary>
    public static string Timeline(RunDetail detail) =>
        $"{detail.Run.Status} ({detail.Run.Reason}):\n" + string.Join("\n", detail.Steps.Select(s => $"  {s.Sequence} {s.Kind} {s.Title}"));

    public static List<RunStep> ToolSteps(RunDetail detail) => [.. detail.Steps.Where(s => s.Kind == RunStepKind.ToolCall)];

    /// <summary>
    /// Every string a request body carries, decoded: the body itself, each JSON string value, and recursively the values of
    /// strings that are JSON themselves (tool-call arguments, tool results). A raw value escaped as <c>\u002B</c> or nested
    /// in an arguments string is found this way; a plain substring search of the body would miss it.
    /// </summary>
    public static IReadOnlyList<string> DecodedStrings(string body)
    {
        var found = new List<string> { body };
        Collect(TryParse(body), found, depth: 0);
        return found;
    }

    private static void Collect(JsonNode? node, List<string> found, int depth)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    found.Add(name);
                    Collect(value, found, depth);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Collect(item, found, depth);
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                found.Add(text);
                if (depth < 4 && text.TrimStart() is ['{', ..] or ['[', ..])
                {
                    Collect(TryParse(text), found, depth + 1);
                }

                break;
        }
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
