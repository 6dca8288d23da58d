using System.Security.Cryptography;
using System.Text;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Access;

public enum ApiKeyCheck
{
    Valid,
    Unknown,
    Revoked,
}

public sealed record ApiKeyAuthentication(ApiKeyCheck Check, ApiKey? Key);

public sealed record CreatedApiKey(ApiKey Key, string Secret);

/// <summary>Creates, revokes and checks API keys. The secret exists in plain text only in the creation result.</summary>
public sealed partial class ApiKeyService(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    AuditLog audit,
    TimeProvider time,
    ILogger<ApiKeyService> logger)
{
    public const string SecretPrefix = "ac_";
    public const int MinimumConfiguredLength = 32;

    // Writing LastUsedAt on every request would turn every API read into a write.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync(ct);
        return [.. keys.OrderBy(k => k.IsRevoked).ThenByDescending(k => k.CreatedAt)];
    }

    public async Task<CreatedApiKey> CreateAsync(string name, string role, string createdBy, CancellationToken ct = default)
    {
        var secret = SecretPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = await StoreAsync(name, role, secret, createdBy, ct);
        return new CreatedApiKey(key, secret);
    }

    /// <summary>Stores a key whose secret was chosen outside (the bootstrap key from configuration).</summary>
    public async Task<ApiKey> StoreAsync(string name, string role, string secret, string createdBy, CancellationToken ct = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100)
        {
            throw new ArgumentException("A key needs a name of 1 to 100 characters.", nameof(name));
        }

        if (!Roles.IsKnown(role))
        {
            throw new ArgumentException($"Unknown role '{role}'. Roles: {string.Join(", ", Roles.All)}.", nameof(role));
        }

        var key = new ApiKey
        {
            Id = Guid.NewGuid(),
            Name = name,
            Role = role,
            Prefix = secret[..Math.Min(11, secret.Length)],
            Hash = HashOf(secret),
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ApiKeys.Add(key);
        audit.Record(db, new AuditEntry(AuditCategory.Security, "api-key.created", AuditActor.Parse(createdBy),
            $"API key '{key.Name}' ({key.Prefix}…) created with role {key.Role}",
            new { key.Id, key.Name, key.Role, key.Prefix }));
        await db.SaveChangesAsync(ct);
        LogKeyCreated(logger, key.Name, key.Prefix, key.Role, createdBy);
        return key;
    }

    public async Task<bool> RevokeAsync(Guid id, string revokedBy, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct);
        if (key is null)
        {
            return false;
        }

        if (!key.IsRevoked)
        {
            key.RevokedAt = time.GetUtcNow();
            key.RevokedBy = revokedBy;
            audit.Record(db, new AuditEntry(AuditCategory.Security, "api-key.revoked", AuditActor.Parse(revokedBy),
                $"API key '{key.Name}' ({key.Prefix}…) revoked", new { key.Id, key.Name, key.Role, key.Prefix }));
            await db.SaveChangesAsync(ct);
            LogKeyRevoked(logger, key.Name, key.Prefix, revokedBy);
        }

        return true;
    }

    public async Task<ApiKeyAuthentication> AuthenticateAsync(string secret, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length > 512)
        {
            return new(ApiKeyCheck.Unknown, null);
        }

        var hash = HashOf(secret);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Hash == hash, ct);
        if (key is null)
        {
            return new(ApiKeyCheck.Unknown, null);
        }

        if (key.IsRevoked)
        {
            return new(ApiKeyCheck.Revoked, key);
        }

        var now = time.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt.Value > LastUsedResolution)
        {
            key.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }

        return new(ApiKeyCheck.Valid, key);
    }

    internal static string HashOf(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(Level = LogLevel.Information, Message = "API key '{Name}' ({Prefix}…) with role {Role} created by {Actor}")]
    private static partial void LogKeyCreated(ILogger logger, string name, string prefix, string role, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key '{Name}' ({Prefix}…) revoked by {Actor}")]
    private static partial void LogKeyRevoked(ILogger logger, string name, string prefix, string actor);
}
