using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;

namespace AgentConsole.Tools;

/// <summary>
/// The body of <c>PUT /api/v1/connections/{key}</c>. An omitted field keeps its current value. Secrets are write-only:
/// a value sets one, an empty string or null clears it, a name not sent keeps it.
/// </summary>
public sealed record ConnectionUpdateRequest(
    ConnectionMode? Mode,
    JsonObject? Settings,
    Dictionary<string, string?>? Secrets,
    SimulatedFailure? SimulatedFailure);
