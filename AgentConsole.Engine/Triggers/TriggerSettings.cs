using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Triggers;

/// <summary>Checks of settings several kinds share.</summary>
public static class TriggerSettings
{
    /// <summary>An optional <c>rateLimitPerSecond</c>: a whole number from 1 to 100,000 (absent = the configured default).</summary>
    public static void ValidateRateLimit(JsonObject settings, IDictionary<string, string[]> errors)
    {
        if (settings["rateLimitPerSecond"] is { } node && !(node is JsonValue value && value.TryGetValue<int>(out var limit) && limit is >= 1 and <= 100_000))
        {
            errors["settings.rateLimitPerSecond"] = ["The rate limit is a whole number of requests per second from 1 to 100,000."];
        }
    }
}
