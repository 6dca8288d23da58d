using System.Text.Json;
using AgentConsole.Engine.Agents;

namespace AgentConsole.Engine.Tools;

/// <summary>
/// A capability an agent can be granted, as its connector declares it. Access, reach, reversibility and cost to
/// undo drive the engine's approval policy; nothing about a tool is inferred from its name.
/// </summary>
/// <param name="Key">Unique name the model calls the tool by (letters, digits, underscores).</param>
/// <param name="Title">Short label for people.</param>
/// <param name="Description">What the model is told the tool does.</param>
/// <param name="ParametersSchema">JSON schema of the arguments; calls that fail it are refused before the connector runs.</param>
/// <param name="Access">Read or write (the most the tool can do).</param>
/// <param name="Reach">Whether its effect leaves the business.</param>
/// <param name="Reversible">Whether its effect can be undone.</param>
/// <param name="CostToUndoUsd">Estimated cost of undoing one call, in USD.</param>
/// <param name="Connector">Key of the connector that performs it.</param>
/// <param name="Connection">Key of the connection (sandbox or live settings) it uses.</param>
public sealed record ToolDefinition(
    string Key,
    string Title,
    string Description,
    string ParametersSchema,
    ToolAccess Access,
    ToolReach Reach,
    bool Reversible,
    decimal CostToUndoUsd,
    string Connector,
    string Connection)
{
    /// <summary>
    /// A write whose only effect is a message to people inside the business (a team channel post): allowed from the
    /// "internal notifications" autonomy level, below record updates.
    /// </summary>
    public bool NotificationOnly { get; init; }

    /// <summary>
    /// The connector honours the call's idempotency key (a unique key in its sandbox table, an <c>Idempotency-Key</c>
    /// header live), so a call interrupted between its effect and its journal entry can be sent again without a
    /// second effect.
    /// </summary>
    public bool Idempotent { get; init; }

    /// <summary>
    /// Whether <see cref="Idempotent"/> holds in live mode too. SMTP has no idempotency of its own: a message sent
    /// again is a second delivery (recognisable only by its Message-Id), so e-mail tools deduplicate in the sandbox only.
    /// </summary>
    public bool IdempotentWhenLive { get; init; } = true;

    /// <summary>A write tool that also has reading calls (e.g. HTTP GET), usable with a read-scope grant.</summary>
    public bool SupportsReadScope { get; init; }

    /// <summary>Always available to every agent, whatever it is granted (escalate, evaluate a decision).</summary>
    public bool BuiltIn { get; init; }

    public JsonElement Schema { get; } = JsonDocument.Parse(ParametersSchema).RootElement.Clone();

    /// <summary>What a call does with the given grant scope: a read-scope grant of a write tool reads.</summary>
    public ToolAccess EffectiveAccess(ToolScope scope) => scope == ToolScope.Read ? ToolAccess.Read : Access;

    /// <summary>The lowest autonomy level at which a call in this scope runs without a person's approval.</summary>
    public AutonomyLevel MinimumAutonomy(ToolScope scope = ToolScope.Write) => (EffectiveAccess(scope), Reach) switch
    {
        (ToolAccess.Read, _) => AutonomyLevel.ReadOnlyResearch,
        (ToolAccess.Write, ToolReach.Internal) when NotificationOnly => AutonomyLevel.InternalNotifications,
        (ToolAccess.Write, ToolReach.Internal) => AutonomyLevel.InternalRecordUpdates,
        _ => AutonomyLevel.ExternalLowStakes,
    };
}
