using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// The queries every run execution makes, compiled once: translating a LINQ query again on each call (expression
/// tree, cache key, parameter extraction) cost more CPU than SQLite answering these single-row look-ups.
/// </summary>
internal static class RunQueries
{
    public static readonly Func<AgentConsoleDbContext, Guid, CancellationToken, Task<bool>> CancelRequested =
        EF.CompileAsyncQuery((AgentConsoleDbContext db, Guid id, CancellationToken ct) =>
            db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => r.CancelRequested).FirstOrDefault());

    public static readonly Func<AgentConsoleDbContext, Guid, CancellationToken, Task<Run>> TrackedRun =
        EF.CompileAsyncQuery((AgentConsoleDbContext db, Guid id, CancellationToken ct) => db.Runs.Single(r => r.Id == id));

    public static readonly Func<AgentConsoleDbContext, string, CancellationToken, Task<Agent?>> Agent =
        EF.CompileAsyncQuery((AgentConsoleDbContext db, string key, CancellationToken ct) => db.Agents.AsNoTracking().SingleOrDefault(a => a.Key == key));

    public static readonly Func<AgentConsoleDbContext, Guid, CancellationToken, Task<int?>> LastSequence =
        EF.CompileAsyncQuery((AgentConsoleDbContext db, Guid id, CancellationToken ct) => db.RunSteps.Where(s => s.RunId == id).Max(s => (int?)s.Sequence));

    public static readonly Func<AgentConsoleDbContext, Guid, IAsyncEnumerable<RunStep>> JournaledSteps =
        EF.CompileAsyncQuery((AgentConsoleDbContext db, Guid id) => db.RunSteps.Where(s => s.RunId == id && s.CallId != null));
}
