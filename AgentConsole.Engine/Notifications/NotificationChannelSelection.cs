using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Notifications;

/// <summary>Which enabled channels a notice goes to: the named ones, or every enabled channel when none is named.</summary>
internal static class NotificationChannelSelection
{
    /// <summary>The enabled channels among <paramref name="wanted"/> (all when empty), and the named keys that are not.</summary>
    public static async Task<(List<NotificationChannel> Channels, List<string> Unknown)> SelectAsync(
        AgentConsoleDbContext db, IEnumerable<string> wanted, CancellationToken ct)
    {
        var keys = wanted.Distinct(StringComparer.Ordinal).ToList();
        var channels = await db.NotificationChannels.AsNoTracking()
            .Where(c => c.Enabled && (keys.Count == 0 || keys.Contains(c.Key)))
            .OrderBy(c => c.Key)
            .ToListAsync(ct);
        return (channels, [.. keys.Where(k => channels.All(c => c.Key != k))]);
    }
}
