using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace AgentConsole.Engine.Tools;

/// <summary>
/// Performs a tool call: schema check, the connection's settings, the connector behind its resilience pipeline
/// (total timeout, retries with backoff honouring Retry-After, circuit breaker per tool+connection, attempt timeout),
/// a result cut to size. Every connector call goes through here, from a run or from a test call on the Tools page.
/// </summary>
public sealed class ToolInvoker(
    ToolRegistry registry,
    ConnectionStore connections,
    IServiceProvider services,
    IOptionsMonitor<ToolOptions> options,
    TimeProvider time) : IDisposable
{
    private readonly ToolPipelines _pipelines = new(options, time);

    /// <param name="onAttemptFailed">Told about every failed attempt before the next one (or the end).</param>
    /// <param name="sandboxOnly">Force the connection into sandbox mode whatever it is configured as (non-production runs).</param>
    public async Task<ToolCallOutcome> InvokeAsync(
        ToolDefinition tool,
        ToolScope scope,
        JsonObject arguments,
        Guid runId,
        string agentKey,
        string callId,
        Func<ToolAttempt, CancellationToken, ValueTask>? onAttemptFailed,
        bool sandboxOnly,
        CancellationToken ct)
    {
        if (ToolArguments.Validate(tool, arguments) is { } invalid)
        {
            return ToolCallOutcome.Failed(ToolFailureKind.InvalidArguments, invalid, 0);
        }

        ConnectionSnapshot connection;
        try
        {
            connection = await connections.SnapshotAsync(tool.Connection, ct);
        }
        catch (ToolCallException ex)
        {
            return ToolCallOutcome.Failed(ex.Kind, ex.Message, 0);
        }

        if (sandboxOnly)
        {
            connection = connection.AsSandbox();
        }

        var settings = options.CurrentValue.For(tool.Key);
        var call = new ToolCall(tool, arguments, ToolRegistry.Normalize(tool, scope), runId, agentKey, callId, connection, services);
        var state = new ToolAttemptState(call, registry.ConnectorOf(tool), settings, onAttemptFailed) { SandboxFaultRatio = sandboxOnly ? 0 : options.CurrentValue.SandboxFaultRatio };
        var (pipeline, circuit) = _pipelines.For(tool);
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(ToolPipelines.StateKey, state);
        ToolCallException failure;
        try
        {
            var result = await pipeline.ExecuteAsync(static (ctx, s) => AttemptOnceAsync(s.State, s.Circuit, s.Time, ctx.CancellationToken),
                context, (State: state, Circuit: circuit, Time: time));
            return ToolCallOutcome.Success(Fit(result, options.CurrentValue.MaxResultChars), state.Attempts);
        }
        catch (ToolCallException ex) when (ex.Kind == ToolFailureKind.Transient && ex.RetryAfter > settings.MaxRetryAfterOrDefault)
        {
            failure = new ToolCallException(ex.Kind, $"{ex.Message} (the service asked to retry after {Seconds(ex.RetryAfter.Value)} s, " +
                $"longer than the {Seconds(settings.MaxRetryAfterOrDefault)} s a call may wait; not retried)", ex) { Status = ex.Status };
        }
        catch (ToolCallException ex)
        {
            failure = ex;
        }
        catch (BrokenCircuitException ex)
        {
            // Refused without reaching the service: it counts as a failed attempt of this call, and ends it at once.
            state.Attempts++;
            failure = new ToolCallException(ToolFailureKind.Transient, circuit.Describe(tool.Key, tool.Connection), ex);
        }
        catch (TimeoutRejectedException ex) when (!ct.IsCancellationRequested)
        {
            var last = state.LastFailure is { } lf ? $"; last error: {lf.Message}" : "";
            failure = new ToolCallException(ToolFailureKind.Transient,
                $"{tool.Key} gave up after {state.Attempts} attempt{(state.Attempts == 1 ? "" : "s")}: the call's time limit of {Seconds(settings.TotalTimeoutOrDefault)} s ran out{last}", ex)
            { Status = state.LastFailure?.Status };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        // The attempts followed by a retry were reported as they failed (with the wait); the last one is reported here,
        // unless the time limit ran out while waiting after an attempt already reported.
        if (onAttemptFailed is not null && state.Reported < state.Attempts)
        {
            await onAttemptFailed(new ToolAttempt(state.Attempts, failure.Message, failure.Status, null), ct);
        }

        return ToolCallOutcome.Failed(failure.Kind, failure.Message, state.Attempts);
    }

    private static async ValueTask<JsonNode?> AttemptOnceAsync(ToolAttemptState state, ToolCircuit circuit, TimeProvider time, CancellationToken ct)
    {
        state.Attempts++;
        try
        {
            if (state.Call.Connection.Mode == ConnectionMode.Sandbox && state.SandboxFaultRatio > 0 && Injected(state.Call.IdempotencyKey, state.Attempts) < state.SandboxFaultRatio)
            {
                throw new ToolCallException(ToolFailureKind.Transient,
                    $"Injected fault on sandbox connection '{state.Call.Connection.Key}' (AgentConsole:Tools:SandboxFaultRatio): the service answered 503 Service Unavailable.") { Status = 503 };
            }

            return await AttemptAsync(state.Connector, state.Call with { Attempt = state.Attempts }, state.Settings.AttemptTimeoutOrDefault, time, ct);
        }
        catch (ToolCallException ex)
        {
            state.LastFailure = ex;
            if (ex.Kind == ToolFailureKind.Transient)
            {
                circuit.Failed(ex.Message);
            }

            throw;
        }
    }

    /// <summary>
    /// One attempt under its own time limit (on <paramref name="time"/>; the attempt is abandoned at the limit even when
    /// the connector ignores its token); any failure comes out as a classified <see cref="ToolCallException"/>.
    /// </summary>
    internal static async Task<JsonNode?> AttemptAsync(IConnector connector, ToolCall call, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        if (call.Connection.Mode == ConnectionMode.Sandbox && call.Connection.SimulatedFailure is var simulated
            && (simulated == SimulatedFailure.Persistent || (simulated == SimulatedFailure.FirstAttempt && call.Attempt == 1)))
        {
            throw new ToolCallException(ToolFailureKind.Transient,
                $"Simulated failure on sandbox connection '{call.Connection.Key}': the service answered 503 Service Unavailable.") { Status = 503 };
        }

        using var limit = new CancellationTokenSource(timeout, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        try
        {
            return await connector.InvokeAsync(call, attempt.Token).WaitAsync(attempt.Token);
        }
        catch (ToolCallException)
        {
            throw;
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutRejectedException && !ct.IsCancellationRequested)
        {
            // Our limit, or the HTTP client's per-attempt resilience handler (its backstop) that fired first.
            throw new ToolCallException(ToolFailureKind.Transient, $"{call.Tool.Key} did not answer within {Seconds(timeout)} s.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ToolCallException(ToolFailureKind.Transient, $"{call.Tool.Key} could not reach its service: {ex.Message}", ex) { Status = (int?)ex.StatusCode };
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new ToolCallException(ToolFailureKind.InvalidArguments, ex.Message, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // IConnector's contract: an unclassified failure counts as transient (retried, then escalated), never a crash.
            throw new ToolCallException(ToolFailureKind.Transient, $"{call.Tool.Key} failed: {ex.Message}", ex);
        }
    }

    /// <summary>A stable number in [0, 1) per call and attempt.</summary>
    private static double Injected(string idempotencyKey, int attempt) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{idempotencyKey}#{attempt}"))) / (uint.MaxValue + 1.0);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Cuts an oversized result and says so, so the model knows it saw only part.</summary>
    internal static JsonNode? Fit(JsonNode? result, int maxChars)
    {
        if (result is null)
        {
            return null;
        }

        var text = result.ToJsonString();
        if (text.Length <= maxChars)
        {
            return result;
        }

        return new JsonObject
        {
            ["truncated"] = true,
            ["note"] = $"The result was {text.Length:N0} characters; only the first {maxChars:N0} are shown. Narrow the request to see the rest.",
            ["partial"] = text[..maxChars],
        };
    }

    /// <summary>
    /// Whether a call left in flight by a stopped executor may be sent again without a second effect: a read, or a tool
    /// whose connector honours the idempotency key in the connection's current mode.
    /// </summary>
    public async Task<bool> CanResendAsync(ToolDefinition tool, ToolScope scope, CancellationToken ct)
    {
        if (tool.EffectiveAccess(scope) == ToolAccess.Read)
        {
            return true;
        }

        if (!tool.Idempotent)
        {
            return false;
        }

        return tool.IdempotentWhenLive || (await connections.SnapshotAsync(tool.Connection, ct)).Mode == ConnectionMode.Sandbox;
    }

    /// <summary>The clock retries wait on (a fake one in tests).</summary>
    internal TimeProvider Time => time;
    public void Dispose() => _pipelines.Dispose();
}
