using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Tools;

/// <summary>
/// A system agents act on (CRM, e-mail, calendar, chat, HTTP API, database, knowledge base). Registered in DI; the
/// <see cref="ToolRegistry"/> collects the tools every connector declares.
/// </summary>
public interface IConnector
{
    /// <summary>Stable key, e.g. "crm"; tools and connections name it.</summary>
    string Key { get; }

    /// <summary>Display name, e.g. "CRM".</summary>
    string Name { get; }

    /// <summary>The tools this connector performs.</summary>
    IReadOnlyList<ToolDefinition> Tools { get; }

    /// <summary>
    /// Performs one attempt of a call. Throw <see cref="ToolCallException"/> to say whether trying again can help;
    /// any other exception counts as transient. Validation of the arguments against the schema has already happened.
    /// </summary>
    Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct);

    /// <summary>
    /// Raises a call's stakes above the tool's declared cost to undo when its arguments make it costlier (e.g. an
    /// e-mail to an account the CRM marks as high-stakes). Null: the declared cost stands.
    /// </summary>
    ValueTask<CallStakes?> AssessAsync(ToolCall toolCall, CancellationToken ct) => ValueTask.FromResult<CallStakes?>(null);

    /// <summary>Whether the connection is usable, for the Tools page (e.g. sandbox tables present, live URL set).</summary>
    Task<ConnectionHealth> CheckAsync(ConnectionSnapshot connection, CancellationToken ct) =>
        Task.FromResult(ConnectionHealth.Healthy(connection.Mode == ConnectionMode.Sandbox ? "Sandbox: effects stay in this app." : "Configured."));
}
