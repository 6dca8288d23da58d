using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Models;

/// <summary>
/// The deterministic, network-free model ("Offline (deterministic)" in the UI). It reads the whole conversation on
/// every call and answers with at most one tool call, so the same messages and options always give the same answer
/// and the executor can checkpoint after every step. What it does next is decided by <see cref="OfflinePlanner"/>.
/// </summary>
public sealed class OfflineChatClient(TimeProvider? time = null) : IChatClient
{
    public const string ProviderName = "offline";
    public const string ModelName = "offline";

    /// <summary>Set on every response: the token counts are estimated from characters, not counted by a tokenizer.</summary>
    public const string UsageEstimatedKey = "agentconsole.usage_estimated";

    private static readonly ChatClientMetadata Metadata = new(ProviderName, providerUri: null, defaultModelId: ModelName);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Respond([.. messages], options, (time ?? TimeProvider.System).GetUtcNow()));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return Metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
    }

    private static ChatResponse Respond(List<ChatMessage> messages, ChatOptions? options, DateTimeOffset now)
    {
        var tools = options?.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
        OfflineStep step;
        try
        {
            step = OfflinePlanner.Plan(messages, tools, now);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever content or tool shapes a caller invents, the offline model answers: a text the run can
            // record beats a crashed job, and this client is what demos and tests run on.
            step = OfflineStep.Finish($"The offline model could not read this conversation ({e.GetType().Name}), so it stops here.");
        }

        var contents = new List<AIContent>();
        if (step.Text is { Length: > 0 } text)
        {
            contents.Add(new TextContent(text));
        }

        if (step.Call is { } call)
        {
            contents.Add(call);
        }

        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ModelId = ModelName,
            FinishReason = step.Call is null ? ChatFinishReason.Stop : ChatFinishReason.ToolCalls,
            Usage = EstimateUsage(messages, tools, step),
            AdditionalProperties = new() { [UsageEstimatedKey] = true },
        };
        return response;
    }

    // About four characters per token, the usual rule of thumb for English text and JSON; rounded up so a
    // non-empty prompt never costs nothing.
    private static UsageDetails EstimateUsage(List<ChatMessage> messages, List<AIFunctionDeclaration> tools, OfflineStep step)
    {
        long inputChars = 0;
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                inputChars += content switch
                {
                    TextContent t => t.Text?.Length ?? 0,
                    FunctionCallContent c => c.Name.Length + OfflineJson.Serialize(c.Arguments).Length,
                    FunctionResultContent r => OfflineJson.Serialize(r.Result).Length,
                    _ => 0,
                };
            }
        }

        foreach (var tool in tools)
        {
            inputChars += tool.Name.Length + (tool.Description?.Length ?? 0) + OfflineJson.RawText(tool.JsonSchema).Length;
        }

        long outputChars = step.Text?.Length ?? 0;
        if (step.Call is { } call)
        {
            outputChars += call.Name.Length + OfflineJson.Serialize(call.Arguments).Length;
        }

        var input = (inputChars + 3) / 4;
        var output = Math.Max(1, (outputChars + 3) / 4);
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }
}
