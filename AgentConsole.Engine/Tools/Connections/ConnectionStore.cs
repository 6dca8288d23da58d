using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Tools;

/// <summary>What an Admin sends to change a connection. Secrets: a value sets it, an empty string removes it, absent keeps it.</summary>
public sealed record ConnectionUpdate(
    ConnectionMode Mode,
    JsonObject Settings,
    IReadOnlyDictionary<string, string>? Secrets,
    SimulatedFailure SimulatedFailure,
    int? Revision = null);

/// <summary>A connection as the UI and API show it: settings, the names of secrets that are set, never their values.</summary>
public sealed record ConnectionView(
    string Key,
    string Connector,
    string Name,
    ConnectionMode Mode,
    JsonObject Settings,
    IReadOnlyList<string> SecretsSet,
    SimulatedFailure SimulatedFailure,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    int Revision);

/// <summary>
/// Reads and writes connections. Secrets are encrypted with Data Protection before they reach the database and are
/// decrypted only into the <see cref="ConnectionSnapshot"/> a call gets.
/// </summary>
public sealed class ConnectionStore(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    IDataProtectionProvider protection,
    ToolRegistry registry,
    AuditLog audit,
    TimeProvider time)
{
    private const string Purpose = "AgentConsole.Tools.ConnectionSecrets.v1";
    public const int MaxSettingsChars = 16_384;
    public const int MaxSecrets = 20;
    public const int MaxSecretChars = 8_192;

    public static readonly TimeSpan SnapshotLifetime = TimeSpan.FromSeconds(2);

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (ConnectionSnapshot Snapshot, DateTimeOffset Until)> _snapshots = new(StringComparer.Ordinal);

    /// <summary>Creates the sandbox connection of every connection key a registered tool names, if missing.</summary>
    public async Task EnsureDefaultsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.ToolConnections.Select(c => c.Key).ToListAsync(ct);
        var now = time.GetUtcNow();
        foreach (var (key, connector) in registry.Connections.Where(c => !existing.Contains(c.Key)))
        {
            db.ToolConnections.Add(new ToolConnection
            {
                Key = key,
                Connector = connector.Key,
                Name = connector.Name,
                Mode = ConnectionMode.Sandbox,
                SettingsJson = "{}",
                UpdatedAt = now,
                UpdatedBy = "system",
                Revision = 1,
            });
        }

        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<ConnectionView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ToolConnections.AsNoTracking().OrderBy(c => c.Key).ToListAsync(ct);
        return [.. rows.Select(View)];
    }

    public async Task<ConnectionView?> FindAsync(string key, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ToolConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Key == key, ct);
        return row is null ? null : View(row);
    }

    /// <summary>The connection a call uses, secrets decrypted. A missing row is the default sandbox.</summary>
    /// <summary>
    /// The connection a call uses. A call reads it up to three times (policy, invoker, resend check) and a busy agent
    /// makes many calls, so snapshots are kept for <see cref="SnapshotLifetime"/>: a change made here is seen at once,
    /// one made by another instance within that time.
    /// </summary>
    public async Task<ConnectionSnapshot> SnapshotAsync(string key, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        if (_snapshots.TryGetValue(key, out var cached) && cached.Until > now && cached.Until - SnapshotLifetime <= now)
        {
            return cached.Snapshot;
        }

        var snapshot = await ReadSnapshotAsync(key, ct);
        _snapshots[key] = (snapshot, now + SnapshotLifetime);
        return snapshot;
    }

    private async Task<ConnectionSnapshot> ReadSnapshotAsync(string key, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ToolConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Key == key, ct);
        var connector = registry.Connections.FirstOrDefault(c => c.Key == key).Connector?.Key ?? row?.Connector ?? key;
        if (row is null)
        {
            return new ConnectionSnapshot(key, connector, ConnectionMode.Sandbox, [], new Dictionary<string, string>(), SimulatedFailure.None);
        }

        return new ConnectionSnapshot(row.Key, row.Connector, row.Mode, ParseSettings(row.SettingsJson), Unprotect(row), row.SimulatedFailure);
    }

    public async Task<ConnectionSaveResult> UpdateAsync(string key, ConnectionUpdate update, string actor, CancellationToken ct = default)
    {
        var errors = Validate(update);
        if (errors.Count > 0)
        {
            return ConnectionSaveResult.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ToolConnections.SingleOrDefaultAsync(c => c.Key == key, ct);
        if (row is null)
        {
            return ConnectionSaveResult.NotFound(key);
        }

        if (update.Revision is { } revision && revision != row.Revision)
        {
            return ConnectionSaveResult.Conflict($"Connection '{key}' was changed by {row.UpdatedBy} meanwhile; reload it and apply your change again.");
        }

        var secrets = new Dictionary<string, string>(Unprotect(row), StringComparer.Ordinal);
        var changedSecrets = new List<string>();
        foreach (var (name, value) in update.Secrets ?? new Dictionary<string, string>())
        {
            changedSecrets.Add(name);
            if (string.IsNullOrEmpty(value))
            {
                secrets.Remove(name);
            }
            else
            {
                secrets[name] = value;
            }
        }

        var before = new { mode = row.Mode.ToString(), settings = ParseSettings(row.SettingsJson), simulatedFailure = row.SimulatedFailure.ToString() };
        row.Mode = update.Mode;
        row.SettingsJson = update.Settings.ToJsonString();
        row.ProtectedSecrets = secrets.Count == 0 ? null : _protector.Protect(JsonSerializer.Serialize(secrets));
        row.SimulatedFailure = update.SimulatedFailure;
        row.UpdatedAt = time.GetUtcNow();
        row.UpdatedBy = actor;
        row.Revision++;
        // The audit names the secrets that changed, never their values.
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "connection.updated", AuditActor.Parse(actor),
            $"Connection {key} set to {update.Mode.ToString().ToLowerInvariant()}",
            new { connection = key, before, after = new { mode = update.Mode.ToString(), settings = update.Settings, simulatedFailure = update.SimulatedFailure.ToString() }, secretsChanged = changedSecrets }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ConnectionSaveResult.Conflict($"Connection '{key}' was changed meanwhile; reload it and apply your change again.");
        }
        finally
        {
            _snapshots.TryRemove(key, out _);
        }

        return ConnectionSaveResult.Saved(View(row));
    }

    private static Dictionary<string, string[]> Validate(ConnectionUpdate update)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.IsDefined(update.Mode))
        {
            errors["mode"] = ["Mode is \"sandbox\" or \"live\"."];
        }

        if (!Enum.IsDefined(update.SimulatedFailure))
        {
            errors["simulatedFailure"] = [$"Simulated failure is one of {string.Join(", ", Enum.GetNames<SimulatedFailure>())}."];
        }

        if (update.Settings.ToJsonString().Length > MaxSettingsChars)
        {
            errors["settings"] = [$"Settings may be at most {MaxSettingsChars:N0} characters of JSON."];
        }

        var secrets = update.Secrets ?? new Dictionary<string, string>();
        if (secrets.Count > MaxSecrets)
        {
            errors["secrets"] = [$"At most {MaxSecrets} secrets per connection."];
        }
        else if (secrets.Any(s => string.IsNullOrWhiteSpace(s.Key) || s.Key.Length > 64 || (s.Value?.Length ?? 0) > MaxSecretChars))
        {
            errors["secrets"] = [$"Each secret needs a name of at most 64 characters and a value of at most {MaxSecretChars:N0} characters."];
        }

        return errors;
    }

    private Dictionary<string, string> Unprotect(ToolConnection row)
    {
        if (row.ProtectedSecrets is null)
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(row.ProtectedSecrets)) ?? [];
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            // The data-protection keys changed (a new machine without the key ring): the secrets are unreadable, not lost silently.
            throw new ToolCallException(ToolFailureKind.Permanent,
                $"The credentials of connection '{row.Key}' cannot be decrypted (the data-protection keys changed). An Admin must enter them again in Settings.", ex);
        }
    }

    private ConnectionView View(ToolConnection row)
    {
        IReadOnlyList<string> secretNames;
        try
        {
            secretNames = [.. Unprotect(row).Keys.Order(StringComparer.Ordinal)];
        }
        catch (ToolCallException)
        {
            secretNames = [];
        }

        return new ConnectionView(row.Key, row.Connector, row.Name, row.Mode, ParseSettings(row.SettingsJson), secretNames, row.SimulatedFailure, row.UpdatedAt, row.UpdatedBy, row.Revision);
    }

    private static JsonObject ParseSettings(string json) => JsonNode.Parse(json) as JsonObject ?? [];
}
