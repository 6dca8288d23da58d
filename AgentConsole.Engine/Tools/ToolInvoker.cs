using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Tools;

/// <summary>
/// Performs a tool call: schema check, the connection's settings, the connector, a result cut to size. Every
/// connector call goes through here, from a run or from a test call on the Tools page.
/// </summary>
public sealed class ToolInvoker(
    ToolRegistry registry,
    ConnectionStore connections,
    IServiceProvider services,
    IOptionsMonitor<ToolOptions> options,
    TimeProvider time)
{
    /// <param name="onAttemptFailed">Told about every failed attempt before the next one (or the end).</param>
    public async Task<ToolCallOutcome> InvokeAsync(
        ToolDefinition tool,
        ToolScope scope,
        JsonObject arguments,
        Guid runId,
        string agentKey,
        string callId,
        Func<ToolAttempt, CancellationToken, ValueTask>? onAttemptFailed,
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

        var settings = options.CurrentValue.For(tool.Key);
        var call = new ToolCall(tool, arguments, ToolRegistry.Normalize(tool, scope), runId, agentKey, callId, connection, services);
        var connector = registry.ConnectorOf(tool);
        try
        {
            var result = await AttemptAsync(connector, call, settings.AttemptTimeoutOrDefault, ct);
            return ToolCallOutcome.Success(Fit(result, options.CurrentValue.MaxResultChars), 1);
        }
        catch (ToolCallException ex)
        {
            if (onAttemptFailed is not null)
            {
                await onAttemptFailed(new ToolAttempt(1, ex.Message, ex.Status, null), ct);
            }

            return ToolCallOutcome.Failed(ex.Kind, ex.Message, 1);
        }
    }

    /// <summary>One attempt under its own time limit; any failure comes out as a classified <see cref="ToolCallException"/>.</summary>
    internal static async Task<JsonNode?> AttemptAsync(IConnector connector, ToolCall call, TimeSpan timeout, CancellationToken ct)
    {
        if (call.Connection.Mode == ConnectionMode.Sandbox && call.Connection.SimulatedFailure is var simulated
            && (simulated == SimulatedFailure.Persistent || (simulated == SimulatedFailure.FirstAttempt && call.Attempt == 1)))
        {
            throw new ToolCallException(ToolFailureKind.Transient,
                $"Simulated failure on sandbox connection '{call.Connection.Key}': the service answered 503 Service Unavailable.") { Status = 503 };
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(timeout);
        try
        {
            return await connector.InvokeAsync(call, attempt.Token);
        }
        catch (ToolCallException)
        {
            throw;
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new ToolCallException(ToolFailureKind.Transient, $"{call.Tool.Key} did not answer within {timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ToolCallException(ToolFailureKind.Transient, $"{call.Tool.Key} could not reach its service: {ex.Message}", ex) { Status = (int?)ex.StatusCode };
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new ToolCallException(ToolFailureKind.InvalidArguments, ex.Message, ex);
        }
    }

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
}
