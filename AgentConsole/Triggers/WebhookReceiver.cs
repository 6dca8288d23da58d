using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Api;
using AgentConsole.Engine.Triggers;
using AgentConsole.Engine.Triggers.Webhooks;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AgentConsole.Triggers;

/// <summary>
/// <c>POST /hooks/{triggerKey}</c>: checks (in this order) that the trigger exists and takes webhooks, its rate limit,
/// that it is enabled, the content type and size, the signature or bearer secret, and that the body is a JSON object;
/// then stores the event in the inbox and answers 202 with its id only after the row is committed. Every refusal after
/// the rate limit is recorded on the trigger (reason, never the body or a secret) and audited; unknown keys and floods
/// are not, so they cannot fill the database.
/// </summary>
public sealed partial class WebhookReceiver(
    TriggerDirectory directory,
    TriggerCatalog catalog,
    TriggerInbox inbox,
    WebhookRateLimiter limiter,
    IOptions<TriggerOptions> options,
    TimeProvider time,
    ILogger<WebhookReceiver> logger)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The prefix of the de-duplication key made from a signature, so a replayed request never runs twice.</summary>
    public const string SignatureKeyPrefix = "sig:";

    public async Task ReceiveAsync(HttpContext http, string triggerKey)
    {
        var ct = http.RequestAborted;
        var key = triggerKey.Length <= 64 ? triggerKey.ToLowerInvariant() : null;
        var entry = key is null ? null : await directory.FindAsync(key, ct);
        if (entry is null || catalog.Handler(entry.Trigger.Kind) is not { HasSigningSecret: true })
        {
            await Problems.WriteAsync(http, StatusCodes.Status404NotFound, "Unknown trigger", $"No webhook trigger with key '{Shorten(triggerKey)}'.");
            return;
        }

        if (limiter.Acquire(entry) is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds))).ToString(CultureInfo.InvariantCulture);
            await Problems.WriteAsync(http, StatusCodes.Status429TooManyRequests, "Too many requests",
                $"Trigger '{entry.Trigger.Key}' accepts a limited number of requests per second; retry after the time in Retry-After.");
            return;
        }

        var trigger = entry.Trigger;
        try
        {
            var refusal = await CheckAsync(http, entry, ct);
            if (refusal is not null)
            {
                await inbox.RejectAsync(trigger, refusal.Reason, Source(http), ct);
                await Problems.WriteAsync(http, refusal.Status, refusal.Title, refusal.Reason);
                return;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Nothing was stored: the sender must retry, so it gets a 5xx, never a 2xx.
            LogStoreFailed(logger, ex, trigger.Key);
            http.Response.Headers.RetryAfter = "5";
            await Problems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "Not stored",
                $"The event could not be stored; send it again. Quote trace id {http.TraceIdentifier} when reporting it.");
        }
    }

    /// <summary>Null when the event was stored and answered; otherwise why it is refused.</summary>
    private async Task<Refusal?> CheckAsync(HttpContext http, TriggerEntry entry, CancellationToken ct)
    {
        var trigger = entry.Trigger;
        if (!trigger.Enabled)
        {
            return new Refusal(StatusCodes.Status409Conflict, "Trigger disabled", $"Trigger '{trigger.Key}' is disabled.");
        }

        if (!IsJson(http.Request.ContentType))
        {
            return new Refusal(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send the event as 'Content-Type: application/json', not '{Shorten(http.Request.ContentType ?? "(none)")}'.");
        }

        var max = options.Value.MaxBodyBytes;
        if (http.Request.ContentLength > max)
        {
            return TooLarge(max);
        }

        if (await ReadBodyAsync(http.Request.BodyReader, max, ct) is not { } bytes)
        {
            return TooLarge(max);
        }

        try
        {
            var now = time.GetUtcNow();
            var secrets = TriggerSecrets.SigningSecrets(entry.Secrets, now);
            string? signatureKey = null;
            if (entry.StringSetting("auth") == WebhookTriggerHandler.Bearer)
            {
                if (!TryReadBearer(http.Request, out var token) || !WebhookSignature.VerifyBearer(secrets, token))
                {
                    return Unauthorized(token.Length == 0 ? "Missing bearer secret (Authorization: Bearer <secret>)." : "Wrong bearer secret.");
                }
            }
            else
            {
                var signatureCheck = CheckSignature(http.Request, secrets, bytes.AsSpan(), now, out signatureKey);
                if (signatureCheck is not null)
                {
                    return Unauthorized(signatureCheck);
                }
            }

            JsonObject payload;
            try
            {
                if (JsonNode.Parse(bytes.AsSpan()) is not JsonObject parsed)
                {
                    return new Refusal(StatusCodes.Status400BadRequest, "Bad request", "The body must be a JSON object ({...}).");
                }

                payload = parsed;
            }
            catch (JsonException ex)
            {
                return new Refusal(StatusCodes.Status400BadRequest, "Bad request", $"The body is not valid JSON: {ex.Message}");
            }

            var idempotencyKey = http.Request.Headers[IdempotencyKeyHeader].ToString();
            var intake = new TriggerIntake(payload, idempotencyKey.Length == 0 ? null : idempotencyKey, Source(http));
            if (intake.IdempotencyKey is null && signatureKey is not null && TriggerInbox.DedupKey(trigger, intake) is null)
            {
                // Without a key of its own, a request is identified by its signature: a replay within the window is
                // answered with the original event instead of running again.
                intake = intake with { IdempotencyKey = signatureKey };
            }

            var receipt = await inbox.ReceiveAsync(trigger, intake, ct);
            http.Response.StatusCode = receipt.Duplicate ? StatusCodes.Status200OK : StatusCodes.Status202Accepted;
            await http.Response.WriteAsJsonAsync(new WebhookAcceptedResponse(receipt.EventId, receipt.Duplicate), ct);
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes.Array!);
        }
    }

    /// <summary>Null when the signature is valid and fresh; otherwise which check failed (never a secret or the expected value).</summary>
    private string? CheckSignature(HttpRequest request, IReadOnlyList<string> secrets, ReadOnlySpan<byte> body, DateTimeOffset now, out string? signatureKey)
    {
        signatureKey = null;
        var timestamp = request.Headers[WebhookSignature.TimestampHeader].ToString().Trim();
        if (timestamp.Length == 0)
        {
            return $"Missing {WebhookSignature.TimestampHeader} header (unix seconds).";
        }

        if (timestamp.Length > WebhookSignature.MaxTimestampChars || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return $"{WebhookSignature.TimestampHeader} is not a unix time in seconds.";
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        if (age.Duration() > options.Value.ReplayWindow)
        {
            return $"Stale timestamp: {WebhookSignature.TimestampHeader} is {Describe(age)} the server's clock; the window is {options.Value.ReplayWindow.TotalMinutes:0.#} minutes.";
        }

        var header = request.Headers[WebhookSignature.SignatureHeader].ToString();
        if (header.Length == 0)
        {
            return $"Missing {WebhookSignature.SignatureHeader} header (sha256=<hex>).";
        }

        Span<byte> expected = stackalloc byte[WebhookSignature.HashBytes];
        if (!WebhookSignature.TryParse(header, expected))
        {
            return $"{WebhookSignature.SignatureHeader} is not 'sha256=' followed by 64 hex digits.";
        }

        if (!WebhookSignature.Verify(secrets, timestamp, body, expected))
        {
            return "Wrong signature: it does not match the body and timestamp under the trigger's secret.";
        }

        signatureKey = SignatureKeyPrefix + Convert.ToHexStringLower(expected);
        return null;
    }

    /// <summary>
    /// The body in a pooled buffer, or null once it exceeds <paramref name="max"/> — reading stops there, so an
    /// oversized body is never held in memory.
    /// </summary>
    private static async Task<ArraySegment<byte>?> ReadBodyAsync(PipeReader reader, int max, CancellationToken ct)
    {
        while (true)
        {
            var result = await reader.ReadAsync(ct);
            var buffer = result.Buffer;
            if (buffer.Length > max)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }

            if (result.IsCompleted)
            {
                var length = (int)buffer.Length;
                var array = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
                buffer.CopyTo(array);
                reader.AdvanceTo(buffer.End);
                return new ArraySegment<byte>(array, 0, length);
            }

            // Nothing consumed yet: ask for more until the whole body (or too much of it) is buffered.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        var charsetOk = media.Charset.Length == 0 || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
        return charsetOk && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
    }

    private static bool TryReadBearer(HttpRequest request, out string token)
    {
        var header = request.Headers.Authorization.ToString();
        token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
        return token.Length > 0;
    }

    private static Refusal TooLarge(int max) =>
        new(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The body is larger than {max:N0} bytes, the most a trigger accepts.");

    private static Refusal Unauthorized(string reason) => new(StatusCodes.Status401Unauthorized, "Not authenticated", reason);

    private static string Describe(TimeSpan age) =>
        age > TimeSpan.Zero ? $"{age.TotalSeconds:N0} s behind" : $"{age.Duration().TotalSeconds:N0} s ahead of";

    private static string? Source(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..61] + "...";

    [LoggerMessage(Level = LogLevel.Error, Message = "A webhook event for trigger {Key} could not be stored; the sender was told to retry")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string key);

    private sealed record Refusal(int Status, string Title, string Reason);
}
