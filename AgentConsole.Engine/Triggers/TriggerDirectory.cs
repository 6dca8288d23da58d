using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Triggers;

/// <summary>
/// Triggers by key for the request path, cached briefly so a busy webhook costs one insert per event rather than a
/// read and a decryption as well. Changes made through <see cref="TriggerCatalog"/> invalidate the entry at once;
/// another instance's change is seen after <see cref="Lifetime"/>.
/// </summary>
public sealed class TriggerDirectory(IDbContextFactory<AgentConsoleDbContext> dbFactory, TriggerSecrets secrets, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (TriggerEntry? Entry, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>The trigger with this key (enabled or not), or null when there is none.</summary>
    public async ValueTask<TriggerEntry?> FindAsync(string key, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.Entry;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var trigger = await db.Triggers.AsNoTracking().SingleOrDefaultAsync(t => t.Key == key, ct);
        var entry = trigger is null
            ? null
            : new TriggerEntry(trigger, JsonNode.Parse(trigger.SettingsJson) as JsonObject ?? [], secrets.Read(trigger));
        if (_cache.Count > 10_000)
        {
            // Unknown keys are cached too (a scan of random keys must not become a database read each); bound the memory.
            _cache.Clear();
        }

        _cache[key] = (entry, now + Lifetime);
        return entry;
    }

    public void Invalidate(string key) => _cache.TryRemove(key, out _);
}
