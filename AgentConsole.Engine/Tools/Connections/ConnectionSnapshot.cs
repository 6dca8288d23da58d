using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Tools;

/// <summary>A connection's settings as one call reads them; secrets only through <see cref="Secret"/>.</summary>
public sealed class ConnectionSnapshot(
    string key,
    string connector,
    ConnectionMode mode,
    JsonObject settings,
    IReadOnlyDictionary<string, string> secrets,
    SimulatedFailure simulatedFailure)
{
    public string Key { get; } = key;
    public string Connector { get; } = connector;
    public ConnectionMode Mode { get; } = mode;
    public SimulatedFailure SimulatedFailure { get; } = simulatedFailure;

    /// <summary>Non-secret settings (base URL, host, port, field mapping, allowed hosts, …).</summary>
    public JsonObject Settings { get; } = settings;

    public IReadOnlyCollection<string> SecretNames => [.. secrets.Keys];

    public string? Secret(string name) => secrets.TryGetValue(name, out var value) ? value : null;

    public string? Setting(string name) =>
        Settings[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    public int? IntSetting(string name) => Settings[name] switch
    {
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var i) => i,
        _ => null,
    };

    public bool BoolSetting(string name, bool fallback = false) => Settings[name] switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) && bool.TryParse(s, out var b) => b,
        _ => fallback,
    };

    /// <summary>
    /// The same connection in sandbox mode, for runs that must have no external effect (evaluations, replays, "Try it"):
    /// no secrets, no simulated failure, so what is measured is the agent and not a fault injected for another test.
    /// </summary>
    public ConnectionSnapshot AsSandbox() =>
        Mode == ConnectionMode.Sandbox && SimulatedFailure == SimulatedFailure.None && secrets.Count == 0
            ? this
            : new(Key, Connector, ConnectionMode.Sandbox, Settings, new Dictionary<string, string>(), SimulatedFailure.None);

    public override string ToString() => $"{Key} ({Connector}, {Mode})";
}
