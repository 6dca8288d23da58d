using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers.Polling;

namespace AgentConsole.Engine.Triggers.Database;

/// <summary>
/// New-database-record triggers: a SELECT polled against a SQLite or PostgreSQL database over a read-only connection;
/// every row above the high-water mark (<c>cursorColumn</c>) becomes an event (<see cref="DatabaseRecordPoller"/>).
/// Settings: <c>provider</c> (sqlite|postgres), <c>query</c> (uses <c>@cursor</c>), <c>cursorColumn</c>,
/// <c>startFrom</c> (now|beginning), <c>pollSeconds</c>; secret <c>connectionString</c>.
/// </summary>
public sealed class DatabaseRecordTriggerHandler : ITriggerKindHandler
{
    public const string ConnectionString = "connectionString";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string StartNow = "now";
    public const string StartBeginning = "beginning";

    public TriggerKind Kind => TriggerKind.DatabaseRecord;

    public IReadOnlyList<string> SecretNames { get; } = [ConnectionString];

    public IReadOnlyList<TriggerSettingField> SettingFields { get; } =
    [
        new("provider", "Database", TriggerSettingType.Select, Required: true, Options: [Sqlite, Postgres], Default: Sqlite),
        new(ConnectionString, "Connection string", TriggerSettingType.Secret, Required: true,
            Help: "Stored encrypted. SQLite: Data Source=/path/orders.db (opened read-only); PostgreSQL: Host=…;Database=…;Username=…;Password=… (a read-only role is best)."),
        new("query", "Query", TriggerSettingType.Multiline, Required: true,
            Help: "One SELECT returning the rows newer than @cursor in cursor order; @cursor is NULL on the first poll, e.g. " +
                  "SELECT id, email, total FROM orders WHERE id > COALESCE(@cursor, 0) ORDER BY id",
            Default: "SELECT * FROM orders WHERE id > COALESCE(@cursor, 0) ORDER BY id"),
        new("cursorColumn", "Cursor column", TriggerSettingType.Text, Required: true,
            Help: "The result column that only grows (an id, a created-at time); each row's value is its de-duplication key.", Default: "id"),
        new("startFrom", "Start from", TriggerSettingType.Select, Required: true,
            Help: "now: the first poll only notes the newest row (no events for existing rows); beginning: every existing row becomes an event.",
            Options: [StartNow, StartBeginning], Default: StartNow),
        PollSettings.Field,
    ];

    public void Validate(JsonObject settings, IReadOnlyDictionary<string, string> secrets, IDictionary<string, string[]> errors)
    {
        var provider = PollSettings.Text(settings, "provider").ToLowerInvariant();
        provider = provider is "" ? Sqlite : provider is "postgresql" ? Postgres : provider;
        if (provider is not (Sqlite or Postgres))
        {
            errors["settings.provider"] = ["The database is \"sqlite\" or \"postgres\"."];
        }

        var query = PollSettings.Text(settings, "query");
        if (RecordQueryCheck.Problem(query) is { } problem)
        {
            errors["settings.query"] = [problem];
        }

        var cursorColumn = PollSettings.Text(settings, "cursorColumn");
        if (cursorColumn.Length is 0 or > 128)
        {
            errors["settings.cursorColumn"] = ["Name the result column whose value only grows (e.g. id)."];
        }

        var startFrom = PollSettings.Text(settings, "startFrom").ToLowerInvariant();
        startFrom = startFrom.Length == 0 ? StartNow : startFrom;
        if (startFrom is not (StartNow or StartBeginning))
        {
            errors["settings.startFrom"] = ["Start from \"now\" (existing rows are not events) or \"beginning\" (they are)."];
        }

        if (!secrets.TryGetValue(ConnectionString, out var connectionString))
        {
            errors[$"secrets.{ConnectionString}"] = ["Give the database's connection string; it is stored encrypted."];
        }
        else if (DatabaseRecordReader.ConnectionStringProblem(provider, connectionString) is { } bad)
        {
            errors[$"secrets.{ConnectionString}"] = [bad];
        }

        PollSettings.Validate(settings, errors);
        settings["provider"] = provider;
        settings["query"] = query;
        settings["cursorColumn"] = cursorColumn;
        settings["startFrom"] = startFrom;
    }

    public JsonObject SamplePayload(Trigger trigger) => new()
    {
        ["id"] = 1042,
        ["email"] = "dana@acme.example",
        ["company"] = "Acme GmbH",
        ["total"] = 1250.5,
        ["created_at"] = "2026-12-07T09:30:00Z",
    };
}
