using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace AgentConsole.Engine.Notifications;

/// <summary>Encrypts a channel's secrets (SMTP password, webhook URL) with Data Protection, as connections and triggers do.</summary>
public sealed class NotificationSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("AgentConsole.Notifications.ChannelSecrets.v1");

    /// <summary>The secrets, or a permanent failure saying an Admin must enter them again (the key ring changed).</summary>
    internal Dictionary<string, string> Read(NotificationChannel channel)
    {
        if (channel.ProtectedSecrets is null)
        {
            return new(StringComparer.Ordinal);
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(channel.ProtectedSecrets)) ?? new(StringComparer.Ordinal);
        }
        catch (CryptographicException ex)
        {
            throw new NotificationSendException(
                $"The secrets of channel '{channel.Key}' cannot be decrypted (the data-protection keys changed): an Admin must enter them again in Settings.",
                permanent: true, ex);
        }
    }

    /// <summary>Names of the secrets that are set; none when they cannot be read.</summary>
    internal IReadOnlyCollection<string> Names(NotificationChannel channel)
    {
        try
        {
            return Read(channel).Keys;
        }
        catch (NotificationSendException)
        {
            return [];
        }
    }

    internal void Write(NotificationChannel channel, IReadOnlyDictionary<string, string> secrets) =>
        channel.ProtectedSecrets = secrets.Count == 0 ? null : _protector.Protect(JsonSerializer.Serialize(secrets));
}
