using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// The queries every run execution makes, compiled once: translating a LINQ query again on each call (expression
/// tree, cache key, parameter extraction) cost more CPU than SQLite answering these single-row look-ups. Compiled per
/// model (<see cref="CompiledPerModel{TQuery}"/>), so SQLite and PostgreSQL contexts can share a process.
/// </summary>
internal static class RunQueries
{
    private static readonly CompiledPerModel<Func<AgentConsoleDbContext, Guid, CancellationToken, Task<bool>>> CancelRequestedQuery =
        new(() => EF.CompileAsyncQuery((AgentConsoleDbContext db, Guid id, CancellationToken ct) =>
            db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => r.CancelRequested).FirstOrDefault()));

    public static Task<bool> CancelRequested(AgentConsoleDbContext db, Guid id, CancellationToken ct) => CancelRequestedQuery.For(db)(db, id, ct);

    private static readonly CompiledPerModel<Func<AgentConsoleDbContext, Guid, CancellationToken, Task<Run>>> TrackedRunQuery =
        new(() => EF.CompileAsyncQuery((AgentConsoleDbContext db, Guid id, CancellationToken ct) => db.Runs.Single(r => r.Id == id)));

    public static Task<Run> TrackedRun(AgentConsoleDbContext db, Guid id, CancellationToken ct) => TrackedRunQuery.For(db)(db, id, ct);

    private static readonly CompiledPerModel<Func<AgentConsoleDbContext, string, CancellationToken, Task<Agent?>>> AgentQuery =
        new(() => EF.CompileAsyncQuery((AgentConsoleDbContext db, string key, CancellationToken ct) => db.Agents.AsNoTracking().SingleOrDefault(a => a.Key == key)));

    public static Task<Agent?> Agent(AgentConsoleDbContext db, string key, CancellationToken ct) => AgentQuery.For(db)(db, key, ct);

    private static readonly CompiledPerModel<Func<AgentConsoleDbContext, Guid, CancellationToken, Task<int?>>> LastSequenceQuery =
        new(() => EF.CompileAsyncQuery((AgentConsoleDbContext db, Guid id, CancellationToken ct) => db.RunSteps.Where(s => s.RunId == id).Max(s => (int?)s.Sequence)));

    public static Task<int?> LastSequence(AgentConsoleDbContext db, Guid id, CancellationToken ct) => LastSequenceQuery.For(db)(db, id, ct);

    private static readonly CompiledPerModel<Func<AgentConsoleDbContext, Guid, IAsyncEnumerable<RunStep>>> JournaledStepsQuery =
        new(() => EF.CompileAsyncQuery((AgentConsoleDbContext db, Guid id) => db.RunSteps.Where(s => s.RunId == id && s.CallId != null)));

    public static IAsyncEnumerable<RunStep> JournaledSteps(AgentConsoleDbContext db, Guid id) => JournaledStepsQuery.For(db)(db, id);
}
