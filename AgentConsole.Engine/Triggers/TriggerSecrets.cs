using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using System.Buffers.Text;

namespace AgentConsole.Engine.Triggers;

/// <summary>
/// Encrypts a trigger's secrets with Data Protection and generates webhook signing secrets. After a rotation the
/// previous signing secret keeps working until <c>signing.previousUntil</c>, so senders can switch without dropping events.
/// </summary>
public sealed class TriggerSecrets(IDataProtectionProvider protection)
{
    public const string Signing = "signing";
    public const string PreviousSigning = "signing.previous";
    public const string PreviousSigningUntil = "signing.previousUntil";
    public const string SecretPrefix = "whsec_";

    private readonly IDataProtector _protector = protection.CreateProtector("AgentConsole.Triggers.Secrets.v1");

    public static string NewSigningSecret() => SecretPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public Dictionary<string, string> Read(Trigger trigger) =>
        trigger.SecretsProtected is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(trigger.SecretsProtected)) ?? new(StringComparer.Ordinal);

    public void Write(Trigger trigger, IReadOnlyDictionary<string, string> secrets) =>
        trigger.SecretsProtected = secrets.Count == 0 ? null : _protector.Protect(JsonSerializer.Serialize(secrets));

    /// <summary>The signing secrets that verify a request now: the current one, and the previous one during its overlap.</summary>
    public static IReadOnlyList<string> SigningSecrets(IReadOnlyDictionary<string, string> secrets, DateTimeOffset now)
    {
        var list = new List<string>(2);
        if (secrets.TryGetValue(Signing, out var current))
        {
            list.Add(current);
        }

        if (secrets.TryGetValue(PreviousSigning, out var previous)
            && secrets.TryGetValue(PreviousSigningUntil, out var until)
            && DateTimeOffset.TryParse(until, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var end)
            && now < end)
        {
            list.Add(previous);
        }

        return list;
    }

    /// <summary>Names of secrets for the API and audit: never values, never the rotation bookkeeping.</summary>
    public static IReadOnlyList<string> Names(IReadOnlyDictionary<string, string> secrets) =>
        [.. secrets.Keys.Where(k => k is not PreviousSigningUntil).Order(StringComparer.Ordinal)];
}
