using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AgentConsole.Engine.Persistence;

/// <summary>
/// An EF Core compiled query, compiled once per model. A compiled query binds to the first model it runs against and
/// refuses any other, and each provider has its own model: one process holding a SQLite and a PostgreSQL context (a
/// benchmark comparing them, the test matrix, a migration tool) would otherwise fail every query after the first
/// provider's. The models are EF Core's own cached ones, so this holds one compiled delegate per provider in practice.
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _compiled = [];

    public TQuery For(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return _compiled.GetValue(db.Model, _ => compile());
    }
}
