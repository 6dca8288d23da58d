using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;
using AgentConsole.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Tools.Resilience;

/// <summary>
/// The resilience every tool call gets from <see cref="ToolInvoker"/>, on a real engine host (SQLite, connections) with a
/// scripted connector and a fake clock: Retry-After, permanent failures, the circuit breaker, the total time limit and
/// the sandbox's simulated first-attempt failure.
/// </summary>
public sealed class ToolInvokerResilienceTests : IDisposable
{
    private const string Prefix = "AgentConsole:Tools:PerTool:" + ScriptedConnector.ToolKey + ":";

    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private async Task<(RunHost Host, ScriptedConnector Connector, TimerWatchingClock Clock)> StartAsync(params (string Key, string? Value)[] settings)
    {
        var clock = new TimerWatchingClock();
        var connector = new ScriptedConnector { Time = clock };
        var host = await RunHost.StartAsync(_folders.New(), clock, services => services.AddSingleton<IConnector>(connector),
            [.. settings.Select(s => (Prefix + s.Key, s.Value))]);
        return (host, connector, clock);
    }

    private static Task<ToolCallOutcome> InvokeAsync(RunHost host, ScriptedConnector connector, List<ToolAttempt> reported, string callId = "call-1") =>
        host.Services.GetRequiredService<ToolInvoker>().InvokeAsync(connector.Tool, ToolScope.Write, new JsonObject { ["note"] = "hello" },
            Guid.Empty, "tests", callId, (attempt, _) =>
            {
                lock (reported)
                {
                    reported.Add(attempt);
                }

                return ValueTask.CompletedTask;
            }, sandboxOnly: false, CancellationToken.None);

    [Fact]
    public async Task InvokeAsync_WaitsExactlyTheRetryAfterTheServiceAsked_WhenItIsWithinMaxRetryAfter()
    {
        var (host, connector, clock) = await StartAsync(("MaxRetryAfter", "00:00:30"));
        await using var _ = host;
        var calls = 0;
        connector.Script = (call, _) => Interlocked.Increment(ref calls) == 1
            ? throw ScriptedConnector.Unavailable(retryAfter: TimeSpan.FromSeconds(7))
            : Task.FromResult<JsonNode?>(new JsonObject { ["ok"] = true });
        var reported = new List<ToolAttempt>();

        var invoking = InvokeAsync(host, connector, reported);
        await clock.TimerStartedAsync(TimeSpan.FromSeconds(7), "the Retry-After wait");
        clock.Advance(TimeSpan.FromSeconds(7) - TimeSpan.FromMilliseconds(1));
        Assert.Single(connector.Calls);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var outcome = await invoking.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(2, outcome.Attempts);
        var failed = Assert.Single(reported);
        Assert.Equal((1, 429, TimeSpan.FromSeconds(7)), (failed.Attempt, failed.Status, failed.RetryIn));
        var attempts = connector.Calls.ToArray();
        Assert.Equal([1, 2], attempts.Select(a => a.Attempt));
        Assert.Equal(TimeSpan.FromSeconds(7), attempts[1].At - attempts[0].At);
        // Both attempts carried the same idempotency key, so a service that applied the first sees a repeat, not a new call.
        Assert.Single(attempts.Select(a => a.IdempotencyKey).Distinct());
    }

    [Fact]
    public async Task InvokeAsync_EndsTheRetries_WhenRetryAfterIsLongerThanMaxRetryAfter()
    {
        var (host, connector, _) = await StartAsync(("MaxRetryAfter", "00:00:30"));
        await using var __ = host;
        connector.Script = (_, _) => throw ScriptedConnector.Unavailable(retryAfter: TimeSpan.FromMinutes(2));
        var reported = new List<ToolAttempt>();

        var outcome = await InvokeAsync(host, connector, reported).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((ToolFailureKind.Transient, 1), (outcome.Failure, outcome.Attempts));
        Assert.Contains("asked to retry after 120 s, longer than the 30 s a call may wait; not retried", outcome.Error, StringComparison.Ordinal);
        Assert.Single(connector.Calls);
        Assert.Null(Assert.Single(reported).RetryIn);
    }

    [Fact]
    public async Task InvokeAsync_DoesNotRetry_WhenTheFailureIsPermanent()
    {
        var (host, connector, _) = await StartAsync();
        await using var __ = host;
        connector.Script = (_, _) => throw new ToolCallException(ToolFailureKind.Permanent, "The service answered 401 Unauthorized: check the connection's token.") { Status = 401 };
        var reported = new List<ToolAttempt>();

        var outcome = await InvokeAsync(host, connector, reported).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((ToolFailureKind.Permanent, 1), (outcome.Failure, outcome.Attempts));
        Assert.Single(connector.Calls);
        Assert.Equal((1, 401, (TimeSpan?)null), (reported[0].Attempt, reported[0].Status, reported[0].RetryIn));
    }

    [Fact]
    public async Task InvokeAsync_RetriesWithBackoffWithinMaxDelay_AndReportsEveryAttemptWithItsWait_ThenGivesUp()
    {
        var (host, connector, clock) = await StartAsync(("MaxRetries", "3"), ("BaseDelay", "00:00:01"), ("MaxDelay", "00:00:04"), ("TotalTimeout", "00:05:00"));
        await using var _ = host;
        connector.Script = (_, _) => throw ScriptedConnector.Unavailable();
        var reported = new List<ToolAttempt>();

        var invoking = InvokeAsync(host, connector, reported);
        await clock.DriveAsync(invoking, TimeSpan.FromMilliseconds(250));
        var outcome = await invoking;

        Assert.Equal((ToolFailureKind.Transient, 4), (outcome.Failure, outcome.Attempts));
        Assert.Equal([1, 2, 3, 4], reported.Select(r => r.Attempt));
        Assert.All(reported.Take(3), r => Assert.InRange(r.RetryIn!.Value, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(4)));
        Assert.Null(reported[3].RetryIn);
        Assert.Equal([1, 2, 3, 4], connector.Calls.Select(c => c.Attempt));
    }

    [Fact]
    public async Task InvokeAsync_FailsFastWhileTheCircuitIsOpen_AndCallsTheServiceAgainOnceItCloses()
    {
        var (host, connector, clock) = await StartAsync(("MaxRetries", "0"), ("BreakerMinimumThroughput", "2"), ("BreakerFailureRatio", "0.5"),
            ("BreakerSamplingDuration", "00:00:10"), ("BreakerBreakDuration", "00:00:05"));
        await using var _ = host;
        var down = true;
        connector.Script = (_, _) => Volatile.Read(ref down) ? throw ScriptedConnector.Unavailable() : Task.FromResult<JsonNode?>(new JsonObject { ["ok"] = true });
        var reported = new List<ToolAttempt>();

        Assert.False((await InvokeAsync(host, connector, reported, "c1")).Succeeded);
        Assert.False((await InvokeAsync(host, connector, reported, "c2")).Succeeded);
        var refused = await InvokeAsync(host, connector, reported, "c3");

        Assert.Equal(ToolFailureKind.Transient, refused.Failure);
        Assert.Contains("the circuit for connection 'scripted' is open for 5 s after 2 failures; last error: The service answered 503.", refused.Error, StringComparison.Ordinal);
        Assert.Equal(2, connector.Calls.Count);
        Assert.Equal(3, reported.Count);

        // The service is back; after the break the breaker lets a trial call through, which closes it.
        Volatile.Write(ref down, false);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True((await InvokeAsync(host, connector, reported, "c4")).Succeeded);
        Assert.True((await InvokeAsync(host, connector, reported, "c5")).Succeeded);
        Assert.Equal(4, connector.Calls.Count);
    }

    [Fact]
    public async Task InvokeAsync_NeverBlocksPastTheTotalTimeout_WhenTheConnectorIgnoresItsToken()
    {
        var (host, connector, clock) = await StartAsync(("AttemptTimeout", "00:00:05"), ("TotalTimeout", "00:00:12"), ("MaxRetries", "5"),
            ("BaseDelay", "00:00:01"), ("MaxDelay", "00:00:01"));
        await using var _ = host;
        var never = new TaskCompletionSource<JsonNode?>();
        connector.Script = (_, _) => never.Task;
        var reported = new List<ToolAttempt>();

        var invoking = InvokeAsync(host, connector, reported);
        // The first attempt reached the connector: the call's time limit is running (it starts before any attempt).
        while (connector.Calls.IsEmpty)
        {
            await Task.Delay(10);
        }

        var waited = await clock.DriveAsync(invoking, TimeSpan.FromMilliseconds(500));
        var outcome = await invoking;

        Assert.InRange(waited, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(12.5));
        Assert.Equal(ToolFailureKind.Transient, outcome.Failure);
        // Jittered waits decide whether a third attempt started before the limit; either way the call ended at it.
        Assert.Matches(@"^scripted_call gave up after [23] attempts: the call's time limit of 12 s ran out; last error: scripted_call did not answer within 5 s\.$", outcome.Error);
    }

    [Fact]
    public async Task InvokeAsync_SucceedsOnTheRetry_WhenTheSandboxConnectionFailsEveryFirstAttempt()
    {
        var (host, connector, clock) = await StartAsync();
        await using var _ = host;
        var store = host.Services.GetRequiredService<ConnectionStore>();
        var saved = await store.UpdateAsync(ScriptedConnector.ConnectionKey, new ConnectionUpdate(ConnectionMode.Sandbox, [], null, SimulatedFailure.FirstAttempt), "tests");
        Assert.True(saved.Outcome == ConnectionSaveOutcome.Saved, saved.Message);
        var reported = new List<ToolAttempt>();

        var invoking = InvokeAsync(host, connector, reported);
        await clock.DriveAsync(invoking, TimeSpan.FromMilliseconds(250));
        var outcome = await invoking;

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal(2, outcome.Attempts);
        Assert.Equal((1, 503), (Assert.Single(reported).Attempt, reported[0].Status));
        Assert.Equal(2, Assert.Single(connector.Calls).Attempt);
    }

    [Fact]
    public async Task InvokeAsync_InjectsTransientFaultsOnSandboxConnections_WhenSandboxFaultRatioIsSet()
    {
        var clock = new TimerWatchingClock();
        var connector = new ScriptedConnector { Time = clock };
        await using var host = await RunHost.StartAsync(_folders.New(), clock, services => services.AddSingleton<IConnector>(connector),
            ("AgentConsole:Tools:SandboxFaultRatio", "1"), (Prefix + "MaxRetries", "1"), (Prefix + "BaseDelay", "00:00:00.010"), (Prefix + "MaxDelay", "00:00:00.010"));
        var reported = new List<ToolAttempt>();

        var invoking = InvokeAsync(host, connector, reported);
        await clock.DriveAsync(invoking, TimeSpan.FromMilliseconds(10));
        var outcome = await invoking;

        Assert.Equal((ToolFailureKind.Transient, 2), (outcome.Failure, outcome.Attempts));
        Assert.Contains("Injected fault on sandbox connection 'scripted'", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(2, reported.Count);
        Assert.Empty(connector.Calls);
    }

    [Theory]
    [InlineData("MaxRetries", 11, "MaxRetries (11) must be between 0 and 10")]
    [InlineData("BreakerFailureRatio", 0.0, "BreakerFailureRatio (0) must be more than 0 and at most 1")]
    [InlineData("BreakerFailureRatio", 1.5, "BreakerFailureRatio (1.5) must be more than 0 and at most 1")]
    [InlineData("AttemptTimeout", -1, "AttemptTimeout (-00:00:01) must be a positive duration")]
    [InlineData("BreakerMinimumThroughput", 1, "BreakerMinimumThroughput (1) must be at least 2")]
    public void ToolOptions_AreRefused_WithAMessageNamingTheKey_WhenAPerToolSettingIsOutOfRange(string name, double value, string message)
    {
        var own = new ToolResilienceOptions();
        switch (name)
        {
            case "MaxRetries": own.MaxRetries = (int)value; break;
            case "BreakerFailureRatio": own.BreakerFailureRatio = value; break;
            case "AttemptTimeout": own.AttemptTimeout = TimeSpan.FromSeconds(value); break;
            case "BreakerMinimumThroughput": own.BreakerMinimumThroughput = (int)value; break;
        }

        var options = new ToolOptions { PerTool = { ["crm_lookup"] = own } };
        var errors = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        var error = Assert.Single(errors).ErrorMessage;
        Assert.Contains($"AgentConsole:Tools:PerTool:crm_lookup:{name}", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        var defaults = new ToolOptions();
        Assert.True(Validator.TryValidateObject(defaults, new ValidationContext(defaults), errors = [], validateAllProperties: true));
    }

    [Fact]
    public void ToolOptions_AreRefused_WhenTheTotalTimeoutIsShorterThanOneAttempt()
    {
        var options = new ToolOptions { Resilience = { AttemptTimeout = TimeSpan.FromSeconds(20), TotalTimeout = TimeSpan.FromSeconds(10) } };
        var errors = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Contains("AgentConsole:Tools:Resilience:TotalTimeout (00:00:10) must be at least AttemptTimeout (00:00:20)", Assert.Single(errors).ErrorMessage, StringComparison.Ordinal);
    }
}
