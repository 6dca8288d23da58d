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
    private static readonly PerModelQuery<Func<AgentConsoleDbContext, Guid, CancellationToken, Task<bool>>> s_cancelRequested = new(() =>
        EF.CompileAsyncQuery((AgentConsoleDbContext db, Guid id, CancellationToken ct) =>
            db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => r.CancelRequested).FirstOrDefault()));

    private static readonly PerModelQuery<Func<AgentConsoleDbContext, Guid, CancellationToken, Task<Run>>> s_trackedRun = new(() =>
        EF.CompileAsyncQuery((AgentConsoleDbContext db, Guid id, CancellationToken ct) => db.Runs.Single(r => r.Id == id)));

    private static readonly PerModelQuery<Func<AgentConsoleDbContext, string, CancellationToken, Task<Agent?>>> s_agent = new(() =>
        EF.CompileAsyncQuery((AgentConsoleDbContext db, string key, CancellationToken ct) => db.Agents.AsNoTracking().SingleOrDefault(a => a.Key == key)));

    private static readonly PerModelQuery<Func<AgentConsoleDbContext, Guid, CancellationToken, Task<int?>>> s_lastSequence = new(() =>
        EF.CompileAsyncQuery((AgentConsoleDbContext db, Guid id, CancellationToken ct) => db.RunSteps.Where(s => s.RunId == id).Max(s => (int?)s.Sequence)));

    private static readonly PerModelQuery<Func<AgentConsoleDbContext, Guid, IAsyncEnumerable<RunStep>>> s_journaledSteps = new(() =>
        EF.CompileAsyncQuery((AgentConsoleDbContext db, Guid id) => db.RunSteps.Where(s => s.RunId == id && s.CallId != null)));

    public static Task<bool> CancelRequested(AgentConsoleDbContext db, Guid id, CancellationToken ct) => s_cancelRequested.For(db)(db, id, ct);

    public static Task<Run> TrackedRun(AgentConsoleDbContext db, Guid id, CancellationToken ct) => s_trackedRun.For(db)(db, id, ct);

    public static Task<Agent?> Agent(AgentConsoleDbContext db, string key, CancellationToken ct) => s_agent.For(db)(db, key, ct);

    public static Task<int?> LastSequence(AgentConsoleDbContext db, Guid id, CancellationToken ct) => s_lastSequence.For(db)(db, id, ct);

    public static IAsyncEnumerable<RunStep> JournaledSteps(AgentConsoleDbContext db, Guid id) => s_journaledSteps.For(db)(db, id);
}
