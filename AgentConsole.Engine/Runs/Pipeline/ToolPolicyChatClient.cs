using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Runs.Pipeline;

/// <summary>
/// Sits between the function-invocation loop and the model and applies the engine's tool policy to each call the
/// model proposes: a call to a tool the agent was not granted is refused and audited; a call whose own arguments
/// raise its stakes past the approval threshold (e.g. an e-mail to a high-stakes account) becomes an approval
/// request, exactly as an approval-required function's call does, so the run pauses for a person.
/// </summary>
internal sealed class ToolPolicyChatClient(IChatClient inner, AgentToolbox toolbox, ConnectionStore connections, IServiceProvider services) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        foreach (var message in response.Messages)
        {
            for (var i = 0; i < message.Contents.Count; i++)
            {
                if (message.Contents[i] is not FunctionCallContent call || call.InformationalOnly)
                {
                    continue;
                }

                if (toolbox.Granted(call.Name) is not { } granted)
                {
                    // Answered here, in the same message, so the loop neither looks for the function nor counts an error.
                    toolbox.Refuse(call.Name, Arguments(call));
                    continue;
                }

                if (toolbox.ApprovalReason(granted.Tool, granted.Scope) is not null)
                {
                    continue; // an approval-required function: the loop turns it into an approval request itself
                }

                var stakes = await AssessAsync(granted.Tool, granted.Scope, call, cancellationToken);
                if (stakes is not null && toolbox.ApprovalReason(granted.Tool, granted.Scope, stakes) is { } reason)
                {
                    toolbox.NoteApproval(call.CallId, reason, stakes);
                    message.Contents[i] = new ToolApprovalRequestContent($"approval-{call.CallId}", call);
                }
            }
        }

        return response;
    }

    private async Task<CallStakes?> AssessAsync(ToolDefinition tool, ToolScope scope, FunctionCallContent call, CancellationToken ct)
    {
        var connector = toolbox.Registry.ConnectorOf(tool);
        var connection = await connections.SnapshotAsync(tool.Connection, ct);
        var session = toolbox.Session;
        var toolCall = new ToolCall(tool, Arguments(call), scope, session.Run.Id, session.Agent.Key, call.CallId, connection, services);
        return await connector.AssessAsync(toolCall, ct);
    }

    private static JsonObject Arguments(FunctionCallContent call) => AgentToolbox.ToJson(call.Arguments);
}

internal static class ToolPolicyChatClientBuilderExtensions
{
    public static ChatClientBuilder UseToolPolicy(this ChatClientBuilder builder, AgentToolbox toolbox) =>
        builder.Use((inner, services) => new ToolPolicyChatClient(inner, toolbox, services.GetRequiredService<ConnectionStore>(), services));
}
