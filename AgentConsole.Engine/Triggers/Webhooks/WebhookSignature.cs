using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentConsole.Engine.Triggers.Webhooks;

/// <summary>
/// The webhook signature scheme: <c>X-AgentConsole-Signature: sha256=&lt;hex of HMAC-SHA256(secret, timestamp + "." +
/// raw body)&gt;</c> with <c>X-AgentConsole-Timestamp: &lt;unix seconds&gt;</c>. The key is the secret's text as UTF-8
/// (exactly what <c>openssl dgst -sha256 -hmac "$secret"</c> uses), so senders need no decoding step.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-AgentConsole-Timestamp";
    public const string SignatureHeader = "X-AgentConsole-Signature";
    public const string Scheme = "sha256=";
    public const int HashBytes = 32;

    /// <summary>The longest timestamp accepted: a 64-bit number of seconds has at most 20 characters.</summary>
    public const int MaxTimestampChars = 20;

    /// <summary>The header value a sender puts in <see cref="SignatureHeader"/>.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[HashBytes];
        Compute(Encoding.UTF8.GetBytes(secret), timestamp.ToString(CultureInfo.InvariantCulture), body, hash);
        return Scheme + Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Reads <c>sha256=&lt;64 hex digits&gt;</c> into <paramref name="hash"/>; false for any other shape (missing scheme,
    /// wrong length, not hex), so a malformed header is refused before any secret is touched.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> header, Span<byte> hash)
    {
        header = header.Trim();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length != Scheme.Length + 2 * HashBytes)
        {
            return false;
        }

        return Convert.FromHexString(header[Scheme.Length..], hash, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == HashBytes;
    }

    /// <summary>
    /// Whether <paramref name="expected"/> is the signature of timestamp and body under one of <paramref name="secrets"/>
    /// (the current one and, during a rotation's overlap, the previous one). Every secret is tried and compared in
    /// constant time, so the answer's timing says nothing about which secret or how many bytes matched.
    /// </summary>
    public static bool Verify(IReadOnlyList<string> secrets, ReadOnlySpan<char> timestamp, ReadOnlySpan<byte> body, ReadOnlySpan<byte> expected)
    {
        if (timestamp.Length is 0 or > MaxTimestampChars)
        {
            return false;
        }

        Span<byte> actual = stackalloc byte[HashBytes];
        var matched = false;
        foreach (var secret in secrets)
        {
            Compute(Encoding.UTF8.GetBytes(secret), timestamp, body, actual);
            matched |= CryptographicOperations.FixedTimeEquals(actual, expected);
        }

        return matched;
    }

    /// <summary>Whether a bearer token equals one of the secrets, compared in constant time.</summary>
    public static bool VerifyBearer(IReadOnlyList<string> secrets, string token)
    {
        var given = Encoding.UTF8.GetBytes(token);
        var matched = false;
        foreach (var secret in secrets)
        {
            matched |= CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), given);
        }

        return matched;
    }

    private static void Compute(byte[] key, ReadOnlySpan<char> timestamp, ReadOnlySpan<byte> body, Span<byte> hash)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        Span<byte> prefix = stackalloc byte[32];
        var length = Encoding.ASCII.GetBytes(timestamp, prefix);
        prefix[length] = (byte)'.';
        hmac.AppendData(prefix[..(length + 1)]);
        hmac.AppendData(body);
        hmac.GetHashAndReset(hash);
    }
}
