using System.Data.Common;
using System.Security.Cryptography;
using System.Text;

namespace AgentConsole.Engine.Audit;

/// <summary>
/// Reads one outbox row as the sealer must: as untrusted input. Anyone who can write to the database can put any
/// value of any type in any column, so nothing here throws; a row is either an event whose MAC checks out under the
/// key of its version, or a reason to quarantine it.
/// </summary>
internal static class OutboxRows
{
    /// <summary>Columns: Id, Timestamp, ActorType, Actor, Category, Action, AgentKey, RunId, Summary, Payload, KeyVersion, Mac.</summary>
    /// <param name="previousVersions">Whether a row may carry a key version other than the current one.</param>
    public static (AuditEvent? Event, string? Reason) Authenticate(DbDataReader reader, KeyedHashers hashers, bool previousVersions)
    {
        var mac = reader.GetValue(11) as string;
        var version = reader.GetValue(10) as string;
        if (string.IsNullOrEmpty(mac) || string.IsNullOrEmpty(version))
        {
            return (null, "no MAC: the row was not recorded by AgentConsole");
        }

        if (reader.GetValue(1) is not long ticks || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return (null, "malformed: the timestamp is not a valid UTC tick count");
        }

        if (reader.GetValue(2) is not string actorTypeName || !Enum.TryParse<AuditActorType>(actorTypeName, out var actorType) || !Enum.IsDefined(actorType)
            || reader.GetValue(4) is not string categoryName || !Enum.TryParse<AuditCategory>(categoryName, out var category) || !Enum.IsDefined(category)
            || !actorTypeName.Equals(actorType.ToString(), StringComparison.Ordinal) || !categoryName.Equals(category.ToString(), StringComparison.Ordinal))
        {
            return (null, "malformed: unknown actor type or category");
        }

        if (reader.GetValue(3) is not string actor || reader.GetValue(5) is not string action
            || reader.GetValue(8) is not string summary || reader.GetValue(9) is not string payload
            || !IsTextOrNull(reader.GetValue(6), out var agentKey) || !IsTextOrNull(reader.GetValue(7), out var runId))
        {
            return (null, "malformed: a text column holds no text");
        }

        // The recorded time is the time of the action and the MAC proves who stamped it; the sealer's clock would be
        // wrong for rows that waited in the outbox across a crash.
        var e = new AuditEvent
        {
            Timestamp = new DateTimeOffset(ticks, TimeSpan.Zero),
            ActorType = actorType,
            Actor = actor,
            Category = category,
            Action = action,
            AgentKey = agentKey,
            RunId = runId,
            Summary = summary,
            Payload = payload,
        };
        if (hashers.For(version) is not { } hasher)
        {
            // Quoted short: the version is whatever was written into the row.
            return (null, $"its key version '{(version.Length > 32 ? version[..32] + "…" : version)}' is not configured");
        }

        if (!previousVersions && !string.Equals(version, hashers.CurrentVersion, StringComparison.Ordinal))
        {
            return (null, $"its key version '{version}' is retired: only rows recorded before the key was rotated may carry it");
        }

        if (!FixedTimeEquals(hasher.ComputeOutboxMac(e), mac))
        {
            return (null, "invalid MAC: the row was written or changed without the audit key");
        }

        if (action == AuditChain.PurgeAction)
        {
            return (null, "a retention anchor cannot come through the outbox");
        }

        return (e, null);
    }

    private static bool IsTextOrNull(object value, out string? text)
    {
        text = value as string;
        return text is not null || value is DBNull;
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));
}
