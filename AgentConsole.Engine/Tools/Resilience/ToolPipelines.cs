using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace AgentConsole.Engine.Tools.Resilience;

/// <summary>
/// The Polly pipeline of every tool+connection, built on first use and rebuilt when <see cref="ToolOptions"/> change:
/// a total timeout around retries (exponential backoff with jitter, or the other side's <c>Retry-After</c>) around a
/// circuit breaker. All waits run on the injected <see cref="TimeProvider"/>, so tests drive them with a fake clock.
/// </summary>
internal sealed class ToolPipelines : IDisposable
{
    public static readonly ResiliencePropertyKey<ToolAttemptState> StateKey = new("AgentConsole.ToolAttempt");

    private readonly ConcurrentDictionary<string, (ResiliencePipeline Pipeline, ToolCircuit Circuit)> _pipelines = new(StringComparer.Ordinal);
    private readonly IOptionsMonitor<ToolOptions> _options;
    private readonly TimeProvider _time;
    private readonly IDisposable? _onChange;

    public ToolPipelines(IOptionsMonitor<ToolOptions> options, TimeProvider time)
    {
        (_options, _time) = (options, time);
        // New settings take effect on the next call; the breakers start closed again under them.
        _onChange = options.OnChange(_ => _pipelines.Clear());
    }

    public (ResiliencePipeline Pipeline, ToolCircuit Circuit) For(ToolDefinition tool) =>
        _pipelines.GetOrAdd($"{tool.Key}\n{tool.Connection}", _ => Build(_options.CurrentValue.For(tool.Key)));

    private (ResiliencePipeline, ToolCircuit) Build(ToolResilienceOptions settings)
    {
        var circuit = new ToolCircuit(_time, settings.BreakerSamplingDurationOrDefault);
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddTimeout(new TimeoutStrategyOptions { Timeout = settings.TotalTimeoutOrDefault });
        if (settings.MaxRetriesOrDefault > 0)
        {
            var maxRetryAfter = settings.MaxRetryAfterOrDefault;
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxRetriesOrDefault,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.BaseDelayOrDefault,
                MaxDelay = settings.MaxDelayOrDefault,
                // Only what may pass by itself; a Retry-After longer than we are willing to wait ends the retries.
                ShouldHandle = new PredicateBuilder().Handle<ToolCallException>(ex =>
                    ex.Kind == ToolFailureKind.Transient && (ex.RetryAfter is null || ex.RetryAfter <= maxRetryAfter)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is ToolCallException { RetryAfter: { } asked } && asked >= TimeSpan.Zero
                    ? (TimeSpan?)asked
                    : null),
                OnRetry = async args =>
                {
                    var state = args.Context.Properties.GetValue(StateKey, null!);
                    state.Reported = args.AttemptNumber + 1;
                    if (state.OnAttemptFailed is not null && args.Outcome.Exception is ToolCallException failure)
                    {
                        await state.OnAttemptFailed(new ToolAttempt(args.AttemptNumber + 1, failure.Message, failure.Status, args.RetryDelay), args.Context.CancellationToken);
                    }
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = settings.BreakerFailureRatioOrDefault,
            MinimumThroughput = settings.BreakerMinimumThroughputOrDefault,
            SamplingDuration = settings.BreakerSamplingDurationOrDefault,
            BreakDuration = settings.BreakerBreakDurationOrDefault,
            // Availability only: a refused token or bad arguments say nothing about whether the service is up.
            ShouldHandle = new PredicateBuilder().Handle<ToolCallException>(ex => ex.Kind == ToolFailureKind.Transient),
            OnOpened = args =>
            {
                circuit.Opened(args.BreakDuration);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                circuit.Closed();
                return ValueTask.CompletedTask;
            },
        });
        return (builder.Build(), circuit);
    }

    public void Dispose() => _onChange?.Dispose();
}
