using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AgentConsole.Engine.Persistence;

/// <summary>
/// One context type, one set of checked-in migrations per provider: SQLite's in <c>Persistence/Migrations</c>,
/// PostgreSQL's in <c>Persistence/Migrations/Postgres</c>. EF Core would otherwise hand either provider every migration
/// of the assembly; this keeps to the namespace of the provider in use (also for <c>dotnet ef migrations add</c>, which
/// finds the previous snapshot here).
/// </summary>
internal sealed class ProviderMigrationsAssembly : IMigrationsAssembly
{
    public const string SqliteNamespace = "AgentConsole.Engine.Persistence.Migrations";
    public const string PostgresNamespace = "AgentConsole.Engine.Persistence.Migrations.Postgres";

    private readonly Type _contextType;
    private readonly string _namespace;
    private IReadOnlyDictionary<string, TypeInfo>? _migrations;
    private ModelSnapshot? _snapshot;
    private bool _snapshotRead;

    public ProviderMigrationsAssembly(ICurrentDbContext currentContext)
    {
        _contextType = currentContext.Context.GetType();
        _namespace = NamespaceFor(currentContext.Context.Database.ProviderName);
    }

    public static string NamespaceFor(string? providerName) =>
        providerName == "Npgsql.EntityFrameworkCore.PostgreSQL" ? PostgresNamespace : SqliteNamespace;

    public Assembly Assembly => typeof(AgentConsoleDbContext).Assembly;

    public IReadOnlyDictionary<string, TypeInfo> Migrations => _migrations ??= Assembly.DefinedTypes
        .Where(t => t.Namespace == _namespace && t.IsSubclassOf(typeof(Migration)) && !t.IsAbstract && BelongsHere(t))
        .Select(t => (Id: t.GetCustomAttribute<MigrationAttribute>()?.Id, Type: t))
        .Where(m => m.Id is not null)
        .OrderBy(m => m.Id, StringComparer.Ordinal)
        .ToDictionary(m => m.Id!, m => m.Type, StringComparer.Ordinal);

    public ModelSnapshot? ModelSnapshot
    {
        get
        {
            if (!_snapshotRead)
            {
                _snapshot = Assembly.DefinedTypes
                    .Where(t => t.Namespace == _namespace && t.IsSubclassOf(typeof(ModelSnapshot)) && !t.IsAbstract && BelongsHere(t))
                    .Select(t => (ModelSnapshot)Activator.CreateInstance(t.AsType())!)
                    .FirstOrDefault();
                _snapshotRead = true;
            }

            return _snapshot;
        }
    }

    public string? FindMigrationId(string nameOrId) =>
        Migrations.Keys.FirstOrDefault(id => string.Equals(id, nameOrId, StringComparison.OrdinalIgnoreCase)
            || string.Equals(id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..], nameOrId, StringComparison.OrdinalIgnoreCase));

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        ArgumentNullException.ThrowIfNull(migrationClass);
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }

    private bool BelongsHere(TypeInfo type) =>
        type.GetCustomAttribute<DbContextAttribute>()?.ContextType is { } context && context.IsAssignableFrom(_contextType);
}
