using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Triggers.Polling;

/// <summary>The <c>pollSeconds</c> setting the polling kinds share: at least 30 seconds, at most a day; absent = the default.</summary>
public static class PollSettings
{
    public const string Name = "pollSeconds";
    public const int MinSeconds = 30;
    public const int MaxSeconds = 86_400;

    public static TriggerSettingField Field { get; } = new(Name, "Check every (seconds)", TriggerSettingType.Number,
        Help: $"{MinSeconds}–{MaxSeconds:N0} seconds; leave empty for the installation's default (AgentConsole:Triggers:DefaultPollInterval).");

    public static void Validate(JsonObject settings, IDictionary<string, string[]> errors)
    {
        if (settings[Name] is { } node && !(node is JsonValue value && value.TryGetValue<int>(out var seconds) && seconds is >= MinSeconds and <= MaxSeconds))
        {
            errors[$"settings.{Name}"] = [$"Check every {MinSeconds} to {MaxSeconds:N0} seconds (a whole number), or leave it empty for the default."];
        }
    }

    /// <summary>A text setting, trimmed; empty when absent or not a text.</summary>
    public static string Text(JsonObject settings, string name) =>
        settings[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text.Trim() : "";

    public static TimeSpan Interval(TriggerEntry entry, TriggerOptions options) =>
        entry.IntSetting(Name) is { } seconds ? TimeSpan.FromSeconds(seconds) : options.DefaultPollInterval;
}
