using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Runs.Pipeline;

/// <summary>
/// The budget guard: before every model call it checks cancellation and the step limit, and reserves the call's
/// worst-case cost (prompt estimate plus the answer's token cap at the provider's prices) against the run's budget.
/// The accounting middleware reconciles with the real usage afterwards.
/// </summary>
internal sealed class RunLimitsChatClient(IChatClient inner, RunSession session) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        if (session.Lease.IsLost)
        {
            // Another executor owns the run: no model call from this one.
            throw new RunLeaseLostException();
        }

        if (await session.CancelRequestedAsync(cancellationToken))
        {
            throw new OperationCanceledException("The run was cancelled.");
        }

        var run = session.Run;
        if (run.ModelCalls >= session.MaxSteps)
        {
            throw new RunLimitExceededException(RunLimit.Steps,
                $"The run reached its step limit: {session.MaxSteps} model calls. It stopped before call {run.ModelCalls + 1}.");
        }

        var provider = session.Provider;
        var maxOutput = options?.MaxOutputTokens ?? provider.MaxOutputTokens;
        var reserve = provider.Cost(TokenEstimate.Count(list, options), maxOutput);
        if (run.CostUsd + reserve > session.Budget)
        {
            throw new RunLimitExceededException(RunLimit.Budget,
                $"The run reached its budget: ${run.CostUsd:0.######} spent, the next model call may cost up to ${reserve:0.######}, " +
                $"and the limit is ${session.Budget:0.00}.");
        }

        session.Reserved = reserve;
        var capped = options?.Clone() ?? new ChatOptions();
        capped.MaxOutputTokens = maxOutput;
        try
        {
            return await base.GetResponseAsync(list, capped, cancellationToken);
        }
        finally
        {
            session.Reserved = 0;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Runs never stream; answering through the checked path keeps the limits in one place.
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }
}
