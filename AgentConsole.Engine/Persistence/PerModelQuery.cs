using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AgentConsole.Engine.Persistence;

/// <summary>
/// A compiled query per EF Core model. A compiled query is bound to the model it first ran against and refuses any
/// other, and SQLite and PostgreSQL contexts have different models: one process that opens both (the test matrix, the
/// scale-out benchmark) needs one compiled query for each.
/// </summary>
internal sealed class PerModelQuery<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _compiled = [];

    public TQuery For(DbContext db) => _compiled.GetValue(db.Model, _ => compile());
}
