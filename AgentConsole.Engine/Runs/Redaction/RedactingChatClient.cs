using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Runs.Redaction;

/// <summary>
/// Redacts everything a model call sends — text, function-call arguments and function results in every message,
/// and <see cref="ChatOptions.Instructions"/> — and restores placeholders in the response (text and function-call
/// arguments), so callers and tools work with real values while the model endpoint only ever sees placeholders.
/// </summary>
/// <remarks>
/// <para>Place it inside function invocation (nearer the provider than <c>UseFunctionInvocation()</c>): tools must be
/// invoked with the restored arguments, and their results must pass through here on the next model call. Outside
/// function invocation, tools would get placeholders and their results would reach the model raw.</para>
/// <para>The vault comes from <c>ChatOptions.AdditionalProperties[VaultKey]</c>, so one run keeps its placeholders
/// across calls; without one, each call gets a fresh vault (still redacting). The key is removed from the options the
/// inner client sees, since the vault holds the real values and providers may forward additional properties.</para>
/// <para>The caller's messages, contents and options are never changed; the inner client gets copies without
/// <c>RawRepresentation</c>, which would carry the unredacted provider payload.</para>
/// </remarks>
public sealed class RedactingChatClient : DelegatingChatClient
{
    public const string VaultKey = "agentconsole.redaction";

    private readonly Redactor defaultRedactor;

    public RedactingChatClient(IChatClient inner, Redactor defaultRedactor)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(defaultRedactor);
        this.defaultRedactor = defaultRedactor;
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var vault = VaultFor(options);

        List<ChatMessage> outgoing = [.. messages.Select(m => RedactMessage(m, vault))];
        var response = await base.GetResponseAsync(outgoing, RedactOptions(options, vault), cancellationToken).ConfigureAwait(false);

        response.Messages = [.. response.Messages.Select(m => RestoreMessage(m, vault))];
        return response;
    }

    /// <summary>
    /// Not streamed through: a placeholder can be split across chunks (<c>"&lt;SS"</c> + <c>"N_1&gt;"</c>), and a chunk
    /// already handed on cannot be restored afterwards. The whole response is fetched, restored, then replayed as updates.
    /// </summary>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    private RedactionVault VaultFor(ChatOptions? options)
    {
        if (options?.AdditionalProperties?.TryGetValue(VaultKey, out var value) != true)
        {
            return new RedactionVault(defaultRedactor);
        }

        // A wrong type is a wiring bug; failing beats silently issuing placeholders the run cannot restore later.
        return value as RedactionVault
            ?? throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{VaultKey}\"] must be a {nameof(RedactionVault)}.", nameof(options));
    }

    private static ChatOptions? RedactOptions(ChatOptions? options, RedactionVault vault)
    {
        if (options is null)
        {
            return null;
        }

        var copy = options.Clone();
        if (options.Instructions is { } instructions)
        {
            copy.Instructions = vault.Redact(instructions);
        }

        if (options.AdditionalProperties is { } properties)
        {
            var remaining = properties.Clone();
            remaining.Remove(VaultKey);
            copy.AdditionalProperties = remaining.Count > 0 ? remaining : null;
        }

        return copy;
    }

    private static ChatMessage RedactMessage(ChatMessage message, RedactionVault vault) =>
        new(message.Role, [.. message.Contents.Select(c => RedactContent(c, vault))])
        {
            AuthorName = message.AuthorName,
            MessageId = message.MessageId,
            CreatedAt = message.CreatedAt,
            AdditionalProperties = message.AdditionalProperties?.Clone(),
        };

    private static AIContent RedactContent(AIContent content, RedactionVault vault) => content switch
    {
        TextContent text => CopyMetadata(text, new TextContent(vault.Redact(text.Text))),
        TextReasoningContent reasoning => CopyMetadata(reasoning, new TextReasoningContent(vault.Redact(reasoning.Text))
        {
            ProtectedData = reasoning.ProtectedData,
        }),
        FunctionCallContent call => RedactCall(call, vault),
        // Exception is not copied: providers do not send it, and its message is unscanned text that could carry a raw value.
        FunctionResultContent result => CopyMetadata(result, new FunctionResultContent(result.CallId, RedactResult(result, vault))),
        ToolApprovalRequestContent { ToolCall: FunctionCallContent call } request =>
            CopyMetadata(request, new ToolApprovalRequestContent(request.RequestId, RedactCall(call, vault))),
        ToolApprovalResponseContent { ToolCall: FunctionCallContent call } response =>
            CopyMetadata(response, new ToolApprovalResponseContent(response.RequestId, response.Approved, RedactCall(call, vault))
            {
                Reason = response.Reason is { } reason ? vault.Redact(reason) : null,
            }),
        // Images, files and other opaque content cannot be redacted as text; they are passed on unchanged.
        _ => content,
    };

    private static FunctionCallContent RedactCall(FunctionCallContent call, RedactionVault vault) =>
        CopyMetadata(call, new FunctionCallContent(call.CallId, call.Name, RedactArguments(call.Arguments, vault))
        {
            InformationalOnly = call.InformationalOnly,
        });

    private static Dictionary<string, object?>? RedactArguments(IDictionary<string, object?>? arguments, RedactionVault vault) =>
        arguments?.ToDictionary(a => a.Key, a => RedactObject(a.Value, a.Key, vault));

    private static object? RedactResult(FunctionResultContent result, RedactionVault vault)
    {
        try
        {
            return RedactObject(result.Result, propertyName: null, vault);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            // Failing the call is the only safe answer to a result that cannot be inspected.
            throw new InvalidOperationException(
                $"The result of tool call {result.CallId} cannot be serialised to JSON, so it cannot be redacted before the model sees it.", ex);
        }
    }

    private static object? RedactObject(object? value, string? propertyName, RedactionVault vault) => value switch
    {
        null => null,
        string s => vault.Redact(s, propertyName),
        JsonElement { ValueKind: JsonValueKind.Undefined } e => e,
        JsonElement e => RedactJson(JsonSerializer.SerializeToNode(e, AIJsonUtilities.DefaultOptions), propertyName, vault),
        JsonNode node => vault.RedactNode(node, propertyName),
        AIContent content => RedactContent(content, vault),
        IEnumerable<AIContent> contents => contents.Select(c => RedactContent(c, vault)).ToList(),
        // Anything else is handed on as the redacted JSON, not the object, so the model sees exactly what was scanned
        // whatever serialiser the provider uses.
        _ => RedactJson(JsonSerializer.SerializeToNode(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())), propertyName, vault),
    };

    private static JsonElement RedactJson(JsonNode? node, string? propertyName, RedactionVault vault) =>
        JsonSerializer.SerializeToElement(node is null ? null : vault.RedactNode(node, propertyName), AIJsonUtilities.DefaultOptions);

    private static ChatMessage RestoreMessage(ChatMessage message, RedactionVault vault) =>
        new(message.Role, [.. message.Contents.Select(c => RestoreContent(c, vault))])
        {
            AuthorName = message.AuthorName,
            MessageId = message.MessageId,
            CreatedAt = message.CreatedAt,
            AdditionalProperties = message.AdditionalProperties,
            RawRepresentation = message.RawRepresentation,
        };

    private static AIContent RestoreContent(AIContent content, RedactionVault vault) => content switch
    {
        TextContent text => KeepRaw(text, CopyMetadata(text, new TextContent(vault.Restore(text.Text)))),
        TextReasoningContent reasoning => KeepRaw(reasoning, CopyMetadata(reasoning, new TextReasoningContent(vault.Restore(reasoning.Text))
        {
            ProtectedData = reasoning.ProtectedData,
        })),
        FunctionCallContent call => KeepRaw(call, CopyMetadata(call, new FunctionCallContent(
            call.CallId, call.Name, call.Arguments?.ToDictionary(a => a.Key, a => RestoreObject(a.Value, vault)))
        {
            InformationalOnly = call.InformationalOnly,
            Exception = call.Exception,
        })),
        _ => content,
    };

    private static object? RestoreObject(object? value, RedactionVault vault) => value switch
    {
        string s => vault.Restore(s),
        JsonElement { ValueKind: JsonValueKind.Undefined } e => e,
        JsonElement e => JsonSerializer.SerializeToElement(vault.Restore(JsonSerializer.SerializeToNode(e, AIJsonUtilities.DefaultOptions)), AIJsonUtilities.DefaultOptions),
        JsonNode node => vault.Restore(node),
        _ => value,
    };

    private static T CopyMetadata<T>(AIContent source, T target)
        where T : AIContent
    {
        target.AdditionalProperties = source.AdditionalProperties?.Clone();
        target.Annotations = source.Annotations is { } annotations ? [.. annotations] : null;
        return target;
    }

    private static T KeepRaw<T>(AIContent source, T target)
        where T : AIContent
    {
        target.RawRepresentation = source.RawRepresentation;
        return target;
    }
}
