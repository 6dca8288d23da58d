using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Alerts;

/// <summary>Ended runs written straight through the DbContext, as alert tests need them (runs need no agent row).</summary>
public static class AlertRuns
{
    /// <summary>
    /// <paramref name="succeeded"/>, then <paramref name="failed"/>, then <paramref name="stopped"/> (step limit) runs of
    /// <paramref name="agentKey"/>, all at <paramref name="at"/> (default: the host's now), each costing <paramref name="cost"/>.
    /// </summary>
    public static async Task<List<Run>> SeedAsync(IServiceProvider services, string agentKey, int succeeded, int failed = 0, decimal cost = 0.10m,
        DateTimeOffset? at = null, int stopped = 0)
    {
        var when = at ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        var runs = new List<Run>();
        await using var db = await services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync();
        for (var i = 0; i < succeeded + failed + stopped; i++)
        {
            var run = Run.Create(agentKey, agentKey, "{}", "tests@example.com", when);
            run.Start("fake", "test-model", when);
            run.RecordModelCall(100, 50, cost, estimated: false);
            if (i < succeeded)
            {
                run.Succeed("ok", when);
            }
            else if (i < succeeded + failed)
            {
                run.Fail("tool error", when);
            }
            else
            {
                run.StopByLimit(RunLimit.Steps, "step limit", when);
            }

            db.Runs.Add(run);
            runs.Add(run);
        }

        await db.SaveChangesAsync();
        return runs;
    }
}
