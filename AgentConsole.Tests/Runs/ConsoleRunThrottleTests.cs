using System.Security.Claims;
using AgentConsole.Access;
using AgentConsole.Engine.Runs;
using AgentConsole.Runs;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Runs;

/// <summary>Run now and Re-run in the console draw on the same per-user and per-agent budgets as the REST API.</summary>
public sealed class ConsoleRunThrottleTests
{
    // Budgets of 3 refilled at one a second: a burst of 50 starts cannot all fit, however fast or slow the machine.
    private const int Attempts = 50;

    [Fact]
    public void RefuseInConsole_RefusesWithARetryHint_OnceTheUsersBudgetIsSpent_WhileAnotherUserMayStillStart()
    {
        using var throttle = Throttle(perCaller: 3, perAgent: 1_000);
        var alice = User("alice");

        var results = Enumerable.Range(0, Attempts).Select(_ => throttle.RefuseInConsole(alice, "lead-router")).ToList();
        var bob = throttle.RefuseInConsole(User("bob"), "lead-router");

        Assert.All(results.Take(3), Assert.Null);
        var refused = results.FirstOrDefault(r => r is not null);
        Assert.NotNull(refused);
        Assert.Equal(RunCommandOutcome.Conflict, refused.Outcome);
        Assert.Contains("try again in", refused.Message, StringComparison.Ordinal);
        Assert.Null(bob);
    }

    [Fact]
    public void RefuseInConsole_RefusesEveryUser_OnceTheAgentsBudgetIsSpent_WhileOtherAgentsMayStillStart()
    {
        using var throttle = Throttle(perCaller: 1_000, perAgent: 3);

        // Each start comes from a different user (and case of the key), so only the agent's budget can run out.
        var results = Enumerable.Range(0, Attempts)
            .Select(i => throttle.RefuseInConsole(User($"user-{i}"), i % 2 == 0 ? "lead-router" : "LEAD-ROUTER"))
            .ToList();
        var otherAgent = throttle.RefuseInConsole(User("carol"), "invoice-triage");

        Assert.All(results.Take(3), Assert.Null);
        var refused = results.FirstOrDefault(r => r is not null);
        Assert.NotNull(refused);
        Assert.Contains("lead-router", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Null(otherAgent);
    }

    private static RequestThrottle Throttle(int perCaller, int perAgent) => new(Options.Create(new RateLimitOptions
    {
        RunsPerCaller = new TokenBucketLimit { Burst = perCaller, PerSecond = 1 },
        RunsPerAgent = new TokenBucketLimit { Burst = perAgent, PerSecond = 1 },
    }));

    private static ClaimsPrincipal User(string id) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, $"{id}@example.test")], "test"));
}
