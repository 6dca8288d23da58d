using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AgentConsole.Engine.Audit;
using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Runs.Pipeline;

/// <summary>
/// Records every model call: tokens in and out (estimated, and marked so, when the provider omits them), cost from
/// the price table, latency, and what the model answered. It sits below redaction, so the timeline and the audit
/// hold the redacted form only.
/// </summary>
internal sealed class UsageAccountingChatClient(IChatClient inner, RunSession session) : DelegatingChatClient(inner)
{
    public const string EstimatedUsageKey = "agentconsole.usage_estimated";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        var started = session.Time.GetTimestamp();
        var response = await base.GetResponseAsync(list, options, cancellationToken);
        var latency = session.Time.GetElapsedTime(started);

        var estimated = response.Usage?.InputTokenCount is null || response.Usage.OutputTokenCount is null
            || response.AdditionalProperties?.TryGetValue(EstimatedUsageKey, out var flag) == true && flag is true;
        var input = response.Usage?.InputTokenCount ?? TokenEstimate.Count(list, options);
        var output = response.Usage?.OutputTokenCount ?? TokenEstimate.Count(response);
        var provider = session.Provider;
        var cost = provider.Cost(input, output);
        var run = session.Run;
        run.RecordModelCall(input, output, cost, estimated);

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        var number = run.ModelCalls;
        var title = calls.Count > 0
            ? $"Model call {number}: asks for {string.Join(", ", calls.Select(c => c.Name))}"
            : $"Model call {number}: answers";
        // One record for the timeline and the audit: both hold the redacted form, since this sits below redaction.
        var detail = new
        {
            provider = provider.Name,
            model = response.ModelId ?? provider.Model,
            inputTokens = input,
            outputTokens = output,
            usageEstimated = estimated,
            costUsd = cost,
            reservedUsd = session.Reserved,
            latencyMs = (long)latency.TotalMilliseconds,
            finishReason = response.FinishReason?.Value,
            text = response.Text,
            toolCalls = calls.Select(c => new { id = c.CallId, name = c.Name, arguments = c.Arguments }).ToArray(),
        };
        var step = session.AddStep(RunStepKind.ModelCall, title, detail);
        step.InputTokens = input;
        step.OutputTokens = output;
        step.CostUsd = cost;
        step.UsageEstimated = estimated;
        step.DurationMs = (long)latency.TotalMilliseconds;

        session.Audit(AuditCategory.Model, "model.called",
            string.Create(CultureInfo.InvariantCulture, $"{title} ({input}+{output} tokens{(estimated ? ", estimated" : "")}, ${cost:0.######}, {latency.TotalMilliseconds:0} ms)"),
            detail);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }
}

/// <summary>Saves the conversation after every model turn, with the turn's step, totals and audit entries.</summary>
internal sealed class RunCheckpointChatClient(IChatClient inner, RunSession session) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        var response = await base.GetResponseAsync(list, options, cancellationToken);
        KeepCallIdsUnique(list, response);
        session.Checkpoint([.. list, .. response.Messages]);
        await session.SaveAsync(cancellationToken);
        return response;
    }

    /// <summary>
    /// Tool-call ids are the journal's idempotency keys, but some OpenAI-compatible servers number them per response or
    /// start over after a restart. A call whose id the run already used is a new call: it gets a run-unique id before the
    /// checkpoint and the function-invocation loop see it, so it is neither mistaken for a journaled call nor clashes with one.
    /// </summary>
    private void KeepCallIdsUnique(IEnumerable<ChatMessage> sent, ChatResponse response)
    {
        var used = sent.SelectMany(m => m.Contents)
            .Select(c => c switch
            {
                FunctionCallContent call => call.CallId,
                ToolApprovalRequestContent { ToolCall: FunctionCallContent call } => call.CallId,
                _ => null,
            })
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        bool Taken(string id) => used.Contains(id) || session.Journaled(id) is not null;

        foreach (var message in response.Messages)
        {
            for (var i = 0; i < message.Contents.Count; i++)
            {
                if (message.Contents[i] is not FunctionCallContent call)
                {
                    continue;
                }

                if (Taken(call.CallId))
                {
                    var suffix = session.Run.ModelCalls;
                    string id;
                    do
                    {
                        id = string.Create(CultureInfo.InvariantCulture, $"{call.CallId}~{suffix++}");
                    }
                    while (Taken(id));

                    message.Contents[i] = call = new FunctionCallContent(id, call.Name, call.Arguments)
                    {
                        InformationalOnly = call.InformationalOnly,
                        AdditionalProperties = call.AdditionalProperties,
                    };
                }

                used.Add(call.CallId);
            }
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }
}

internal static class RunPipelineExtensions
{
    public static ChatClientBuilder UseRunCheckpoints(this ChatClientBuilder builder, RunSession session) =>
        builder.Use(inner => new RunCheckpointChatClient(inner, session));

    public static ChatClientBuilder UseRunLimits(this ChatClientBuilder builder, RunSession session) =>
        builder.Use(inner => new RunLimitsChatClient(inner, session));

    public static ChatClientBuilder UseUsageAccounting(this ChatClientBuilder builder, RunSession session) =>
        builder.Use(inner => new UsageAccountingChatClient(inner, session));
}
