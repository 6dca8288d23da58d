using System.Text.Json.Nodes;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Evaluations;

/// <summary>
/// The demo's default test set describes what the published demo configuration really does: every case is run through
/// the real engine (Offline model, sandbox connections) as an evaluation run and judged by a small scorer of this test's
/// own, independent of the product's.
/// </summary>
public sealed class DemoTestSetTests : IDisposable
{
    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task Seed_GivesTheLeadRouterADefaultSetOfAtLeast50Cases_OfEveryKind_Once()
    {
        var folder = _folders.New();
        await using (var first = await RunHost.StartAsync(folder))
        {
            var sets = await first.Services.GetRequiredService<TestSets>().ListAsync(DemoWorkspace.LeadRouterKey);
            var set = Assert.Single(sets!);
            Assert.True(set.IsDefault);
            Assert.True(set.Cases >= 50, $"{set.Cases} cases");
        }

        // A restart seeds again: the set is found, not doubled.
        await using var second = await RunHost.StartAsync(folder);
        var testSets = second.Services.GetRequiredService<TestSets>();
        var again = Assert.Single((await testSets.ListAsync(DemoWorkspace.LeadRouterKey))!);
        var loaded = (await testSets.DefaultForAsync(DemoWorkspace.LeadRouterKey))!;
        Assert.Equal(again.Id, loaded.Id);
        Assert.Equal(LeadRouterTestCases.All().Count, loaded.Cases.Count);
        Assert.Equal(Enum.GetValues<TestCaseKind>().Order(), loaded.Cases.Select(c => c.Kind).Distinct().Order());
        Assert.Contains(loaded.Cases, c => c.InputJson.Contains("\"employees\":10,", StringComparison.Ordinal) && c.MustEscalate == true);
        Assert.Contains(loaded.Cases, c => c.ExpectRejected);
        Assert.Contains(loaded.Cases, c => c.Kind == TestCaseKind.Adversarial && c.InputJson.Contains("123-45-6789", StringComparison.Ordinal));
        Assert.Contains(loaded.Cases, c => c.Kind == TestCaseKind.Adversarial && c.InputJson.Contains("Ignore all previous instructions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryDemoCase_PassesOnThePublishedDemoConfiguration()
    {
        await using var host = await RunHost.StartAsync(_folders.New());
        var set = (await host.Services.GetRequiredService<TestSets>().DefaultForAsync(DemoWorkspace.LeadRouterKey))!;
        var failures = new List<string>();
        foreach (var testCase in set.Cases)
        {
            var reasons = await RunAndJudgeAsync(host, testCase);
            if (reasons.Count > 0)
            {
                failures.Add($"{testCase.Name}: {string.Join("; ", reasons)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>Runs one case as an evaluation run pinned to the published table and lists what it got wrong.</summary>
    private static async Task<List<string>> RunAndJudgeAsync(RunHost host, TestCase testCase)
    {
        var reasons = new List<string>();
        var started = await host.Runs.StartPinnedAsync(DemoWorkspace.LeadRouterKey, JsonNode.Parse(testCase.InputJson) as JsonObject, "tests@agentconsole.local",
            new RunSetup(RunKind.Evaluation, null, null, "{\"lead-routing\":1}"), enqueue: false);
        if (testCase.ExpectRejected)
        {
            if (started.Outcome != RunCommandOutcome.Invalid)
            {
                reasons.Add($"expected the input to be refused, got {started.Outcome}");
            }

            return reasons;
        }

        if (started.RunId is not { } runId)
        {
            reasons.Add($"the run did not start: {started.Outcome} {started.Message}");
            return reasons;
        }

        var detail = await host.ExecuteAsync(runId);
        var run = detail.Run;
        var facts = run.FactsJson is null ? new JsonObject() : JsonNode.Parse(run.FactsJson)!.AsObject();
        if (testCase.ExpectedDecisionsJson is not null)
        {
            foreach (var (decision, expected) in JsonNode.Parse(testCase.ExpectedDecisionsJson)!.AsObject())
            {
                if (!JsonNode.DeepEquals(facts[decision], expected))
                {
                    reasons.Add($"{decision} was {facts[decision]?.ToJsonString() ?? "no result"}, expected {expected?.ToJsonString()}");
                }
            }
        }

        var called = await host.QueryAsync(db => db.RunSteps.AsNoTracking()
            .Where(s => s.RunId == runId && s.Kind == RunStepKind.ToolCall && s.ToolName != null)
            .Select(s => new { s.ToolName, s.IsError, s.InFlight }).ToListAsync());
        reasons.AddRange(testCase.MustCall.Where(t => !called.Exists(c => c.ToolName == t && !c.IsError && !c.InFlight)).Select(t => $"{t} was not called successfully"));
        reasons.AddRange(testCase.MustNotCall.Where(t => called.Exists(c => c.ToolName == t)).Select(t => $"{t} was called"));
        var escalated = run.EscalationCount > 0;
        if (testCase.MustEscalate is { } must && must != escalated)
        {
            reasons.Add($"{(escalated ? "escalated" : "did not escalate")} ({run.Status}: {run.Reason})");
        }

        reasons.AddRange(testCase.OutputContains.Where(t => run.Output?.Contains(t, StringComparison.OrdinalIgnoreCase) != true)
            .Select(t => $"the output lacks \"{t}\" ({run.Output})"));
        return reasons;
    }
}
