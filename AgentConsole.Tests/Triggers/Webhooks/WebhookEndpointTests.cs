using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers;
using AgentConsole.Engine.Triggers.Webhooks;
using AgentConsole.Tests.Hosting;
using AgentConsole.Triggers;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Triggers.Webhooks;

/// <summary><c>POST /hooks/{key}</c> over real HTTP: authentication, limits, de-duplication, and that no accepted event is lost.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class WebhookEndpointTests(WebhookHost host) : IClassFixture<WebhookHost>
{
    [Fact]
    public async Task Post_Answers202WithTheStoredEventId_WhenSignedWithTheSecret()
    {
        var (key, secret) = await host.CreateWebhookAsync("Signed ok");
        using var client = host.CreateClient();

        using var response = await client.SendAsync(host.SignedPost(key, secret, Lead(1)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<WebhookAcceptedResponse>();
        var stored = Assert.Single(await host.EventsAsync(key));
        Assert.Equal(stored.Id, accepted!.EventId);
        Assert.False(accepted.Duplicate);
        Assert.Equal(TriggerEventStatus.Received, stored.Status);
        Assert.Equal("Lead 1", JsonNode.Parse(stored.PayloadJson!)!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("wrong", "Wrong signature")]
    [InlineData("missing-signature", "Missing X-AgentConsole-Signature")]
    [InlineData("missing-timestamp", "Missing X-AgentConsole-Timestamp")]
    [InlineData("malformed", "is not 'sha256='")]
    [InlineData("other-body", "Wrong signature")]
    public async Task Post_Answers401AndRecordsTheRejection_WhenTheSignatureDoesNotHold(string variant, string reason)
    {
        var (key, secret) = await host.CreateWebhookAsync("Bad signature " + variant);
        using var client = host.CreateClient();
        var request = host.SignedPost(key, variant == "wrong" ? secret + "x" : secret, Lead(2));
        switch (variant)
        {
            case "missing-signature":
                request.Headers.Remove(WebhookSignature.SignatureHeader);
                break;
            case "missing-timestamp":
                request.Headers.Remove(WebhookSignature.TimestampHeader);
                break;
            case "malformed":
                request.Headers.Remove(WebhookSignature.SignatureHeader);
                request.Headers.Add(WebhookSignature.SignatureHeader, "sha1=abc");
                break;
            case "other-body":
                request.Content = new StringContent(Lead(3), Encoding.UTF8, "application/json");
                break;
        }

        using var response = await client.SendAsync(request);

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(reason, problem.Detail(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, problem.Detail(), StringComparison.Ordinal);
        var rejected = Assert.Single(await host.EventsAsync(key));
        Assert.Equal(TriggerEventStatus.Rejected, rejected.Status);
        Assert.Contains(reason, rejected.Reason, StringComparison.Ordinal);
        Assert.Null(rejected.PayloadJson);
        Assert.True(await AuditedRejectionsAsync(key) >= 1);
    }

    [Fact]
    public async Task Post_Answers401AsStale_WhenTheTimestampLeavesTheReplayWindow()
    {
        var (key, secret) = await host.CreateWebhookAsync("Stale");
        using var client = host.CreateClient();
        var signedAt = host.Time.GetUtcNow();
        var window = new TriggerOptions().ReplayWindow;

        using var fresh = await client.SendAsync(host.SignedPost(key, secret, Lead(10), signedAt));
        host.Time.Advance(window + TimeSpan.FromSeconds(1));
        using var stale = await client.SendAsync(host.SignedPost(key, secret, Lead(11), signedAt));
        using var future = await client.SendAsync(host.SignedPost(key, secret, Lead(12), host.Time.GetUtcNow() + window + TimeSpan.FromSeconds(1)));

        Assert.Equal(HttpStatusCode.Accepted, fresh.StatusCode);
        Assert.Contains("Stale timestamp", (await ProblemJson.ReadAsync(stale, HttpStatusCode.Unauthorized)).Detail(), StringComparison.Ordinal);
        Assert.Contains("ahead of", (await ProblemJson.ReadAsync(future, HttpStatusCode.Unauthorized)).Detail(), StringComparison.Ordinal);
        var events = await host.EventsAsync(key);
        Assert.Equal([TriggerEventStatus.Received, TriggerEventStatus.Rejected, TriggerEventStatus.Rejected], events.Select(e => e.Status));
    }

    [Fact]
    public async Task Post_AnswersAReplayWithTheOriginalEvent_AndRunsItOnce()
    {
        var (key, secret) = await host.CreateWebhookAsync("Replay");
        using var client = host.CreateClient();
        var original = host.SignedPost(key, secret, Lead(20));
        var replay = new HttpRequestMessage(HttpMethod.Post, original.RequestUri) { Content = new StringContent(Lead(20), Encoding.UTF8, "application/json") };
        foreach (var header in original.Headers)
        {
            replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        using var first = await client.SendAsync(original);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        using var second = await client.SendAsync(replay);
        await host.ProcessAllAsync();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var firstId = (await first.Content.ReadFromJsonAsync<WebhookAcceptedResponse>())!.EventId;
        var again = (await second.Content.ReadFromJsonAsync<WebhookAcceptedResponse>())!;
        Assert.Equal(firstId, again.EventId);
        Assert.True(again.Duplicate);
        Assert.Equal(1, await host.QueryAsync(db => db.Runs.CountAsync(r => r.TriggerKey == key)));
    }

    [Fact]
    public async Task Post_AcceptsTheBearerSecret_AndRefusesAWrongOrMissingOne()
    {
        var (key, secret) = await host.CreateWebhookAsync("Bearer", new JsonObject { ["auth"] = "bearer" });
        using var client = host.CreateClient();

        using var ok = await client.SendAsync(Bearer(key, secret));
        using var wrong = await client.SendAsync(Bearer(key, secret[..^1]));
        using var missing = await client.SendAsync(WebhookHost.Post(key, Lead(30)));

        Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        Assert.Contains("Wrong bearer secret", (await ProblemJson.ReadAsync(wrong, HttpStatusCode.Unauthorized)).Detail(), StringComparison.Ordinal);
        Assert.Contains("Missing bearer secret", (await ProblemJson.ReadAsync(missing, HttpStatusCode.Unauthorized)).Detail(), StringComparison.Ordinal);
        Assert.Equal(2, (await host.EventsAsync(key)).Count(e => e.Status == TriggerEventStatus.Rejected));
    }

    [Fact]
    public async Task Post_AcceptsThePreviousSecret_UntilTheRotationOverlapEnds()
    {
        var (key, old) = await host.CreateWebhookAsync("Rotation");
        var rotated = await host.Catalog.RotateSecretAsync(key, "tests@agentconsole.local");
        var fresh = rotated.Secret!;
        using var client = host.CreateClient();

        using var oldDuringOverlap = await client.SendAsync(host.SignedPost(key, old, Lead(40)));
        using var newDuringOverlap = await client.SendAsync(host.SignedPost(key, fresh, Lead(41)));
        host.Time.Advance(new TriggerOptions().SecretOverlap + TimeSpan.FromSeconds(1));
        using var oldAfterOverlap = await client.SendAsync(host.SignedPost(key, old, Lead(42)));
        using var newAfterOverlap = await client.SendAsync(host.SignedPost(key, fresh, Lead(43)));

        Assert.NotEqual(old, fresh);
        Assert.Equal(HttpStatusCode.Accepted, oldDuringOverlap.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, newDuringOverlap.StatusCode);
        Assert.Contains("Wrong signature", (await ProblemJson.ReadAsync(oldAfterOverlap, HttpStatusCode.Unauthorized)).Detail(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, newAfterOverlap.StatusCode);
    }

    [Fact]
    public async Task Post_Answers404_WhenNoWebhookTriggerHasTheKey()
    {
        using var client = host.CreateClient();

        using var response = await client.SendAsync(host.SignedPost("no-such-trigger", "whsec_x", Lead(50)));

        Assert.Contains("no-such-trigger", (await ProblemJson.ReadAsync(response, HttpStatusCode.NotFound)).Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_Answers409AndRecordsTheRejection_WhenTheTriggerIsDisabled()
    {
        var (key, secret) = await host.CreateWebhookAsync("Disabled", enabled: false);
        using var client = host.CreateClient();

        using var response = await client.SendAsync(host.SignedPost(key, secret, Lead(60)));

        Assert.Equal($"Trigger '{key}' is disabled.", (await ProblemJson.ReadAsync(response, HttpStatusCode.Conflict)).Detail());
        Assert.Equal(TriggerEventStatus.Rejected, Assert.Single(await host.EventsAsync(key)).Status);
        Assert.Equal(1, await AuditedRejectionsAsync(key));
    }

    [Fact]
    public async Task Post_Answers413_WhenTheBodyExceedsTheLimit_WithOrWithoutContentLength()
    {
        var (key, secret) = await host.CreateWebhookAsync("Too large");
        using var client = host.CreateClient();
        var big = $$"""{"name":"{{new string('x', 5_000)}}"}""";

        using var declared = await client.SendAsync(host.SignedPost(key, secret, big));
        var chunkedRequest = host.SignedPost(key, secret, big);
        chunkedRequest.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunkedRequest.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        chunkedRequest.Headers.TransferEncodingChunked = true;
        using var chunked = await client.SendAsync(chunkedRequest);

        Assert.Contains("4,096 bytes", (await ProblemJson.ReadAsync(declared, HttpStatusCode.RequestEntityTooLarge)).Detail(), StringComparison.Ordinal);
        await ProblemJson.ReadAsync(chunked, HttpStatusCode.RequestEntityTooLarge);
        Assert.All(await host.EventsAsync(key), e => Assert.Equal(TriggerEventStatus.Rejected, e.Status));
        Assert.Equal(2, (await host.EventsAsync(key)).Count);
    }

    [Fact]
    public async Task Post_Answers415_WhenTheBodyIsNotJson()
    {
        var (key, _) = await host.CreateWebhookAsync("Form body");
        using var client = host.CreateClient();

        using var response = await client.SendAsync(WebhookHost.Post(key, "name=x", "application/x-www-form-urlencoded"));

        Assert.Contains("application/json", (await ProblemJson.ReadAsync(response, HttpStatusCode.UnsupportedMediaType)).Detail(), StringComparison.Ordinal);
        Assert.Equal(TriggerEventStatus.Rejected, Assert.Single(await host.EventsAsync(key)).Status);
    }

    [Theory]
    [InlineData("{\"name\": ", "not valid JSON")]
    [InlineData("[1, 2]", "must be a JSON object")]
    public async Task Post_Answers400_WhenTheSignedBodyIsNotAJsonObject(string body, string reason)
    {
        var (key, secret) = await host.CreateWebhookAsync("Malformed " + reason);
        using var client = host.CreateClient();

        using var response = await client.SendAsync(host.SignedPost(key, secret, body));

        Assert.Contains(reason, (await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest)).Detail(), StringComparison.Ordinal);
        Assert.Equal(TriggerEventStatus.Rejected, Assert.Single(await host.EventsAsync(key)).Status);
    }

    [Fact]
    public async Task Post_Answers429WithRetryAfter_AndRecordsNothing_WhenTheTriggersRateIsExceeded()
    {
        var (key, secret) = await host.CreateWebhookAsync("Rate limited", new JsonObject { ["rateLimitPerSecond"] = 1 });
        using var client = host.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        // Burst 2 at 1/s: a handful of back-to-back requests must meet an empty bucket.
        for (var i = 0; i < 10 && refused is null; i++)
        {
            var response = await client.SendAsync(host.SignedPost(key, secret, Lead(70 + i)));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            await ProblemJson.ReadAsync(refused, HttpStatusCode.TooManyRequests);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After in whole seconds");
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted], statuses.Take(2));
        var accepted = statuses.Count(s => s == HttpStatusCode.Accepted);
        Assert.Equal(accepted, (await host.EventsAsync(key)).Count);
    }

    [Fact]
    public async Task Post_AnswersTheIdempotencyKeysFirstEvent_AndStartsOneRun()
    {
        var (key, secret) = await host.CreateWebhookAsync("Idempotent");
        using var client = host.CreateClient();
        var first = host.SignedPost(key, secret, Lead(80));
        first.Headers.Add(WebhookReceiver.IdempotencyKeyHeader, "order-80");
        host.Time.Advance(TimeSpan.FromSeconds(2));
        var second = host.SignedPost(key, secret, Lead(81));
        second.Headers.Add(WebhookReceiver.IdempotencyKeyHeader, "order-80");

        using var one = await client.SendAsync(first);
        using var two = await client.SendAsync(second);
        await host.ProcessAllAsync();

        Assert.Equal(HttpStatusCode.Accepted, one.StatusCode);
        Assert.Equal(HttpStatusCode.OK, two.StatusCode);
        var original = (await one.Content.ReadFromJsonAsync<WebhookAcceptedResponse>())!.EventId;
        var duplicate = (await two.Content.ReadFromJsonAsync<WebhookAcceptedResponse>())!;
        Assert.Equal(original, duplicate.EventId);
        Assert.True(duplicate.Duplicate);
        var run = Assert.Single(await host.QueryAsync(db => db.Runs.AsNoTracking().Where(r => r.TriggerKey == key).ToListAsync()));
        Assert.Equal(original, run.TriggerEventId);
        Assert.Equal(TriggerEventStatus.Duplicate, (await host.EventsAsync(key)).Single(e => e.Id != original).Status);
    }

    [Fact]
    public async Task ConcurrentPosts_LoseNoEvent_AndEachMatchedEventStartsExactlyOneRun()
    {
        const int senders = 40;
        var (key, secret) = await host.CreateWebhookAsync("Concurrent");
        using var client = host.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, senders).Select(async i =>
        {
            using var response = await client.SendAsync(host.SignedPost(key, secret, Lead(100 + i)));
            return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<WebhookAcceptedResponse>())!.EventId : (Guid?)null;
        }));
        var accepted = responses.OfType<Guid>().ToHashSet();
        var stored = await host.EventsAsync(key);
        await host.ProcessAllAsync();
        var runs = await host.QueryAsync(db => db.Runs.AsNoTracking().Where(r => r.TriggerKey == key).ToListAsync());
        var processed = await host.EventsAsync(key);

        Assert.Equal(senders, accepted.Count);
        Assert.Equal(accepted, stored.Select(e => e.Id).ToHashSet());
        Assert.All(processed, e => Assert.Equal(TriggerEventStatus.RunStarted, e.Status));
        Assert.Equal(accepted, runs.Select(r => r.TriggerEventId!.Value).ToHashSet());
        Assert.Equal(senders, runs.Count);
        Assert.All(runs, r => Assert.Equal($"trigger:{key}", r.CreatedBy));
        Assert.All(processed, e => Assert.Equal(e.RunId, runs.Single(r => r.TriggerEventId == e.Id).Id));
    }

    private static string Lead(int n) =>
        $$"""{"name":"Lead {{n}}","email":"lead{{n}}@acme.example","company":"Acme {{n}}","employees":{{40 + n}},"source":"website"}""";

    private static HttpRequestMessage Bearer(string key, string secret)
    {
        var request = WebhookHost.Post(key, Lead(31));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return request;
    }

    private Task<int> AuditedRejectionsAsync(string key) =>
        host.QueryAsync(async db =>
        {
            // One read snapshot (on PostgreSQL a plain transaction reads each query at its own time): the sealer may move an entry from the outbox into the chain between two queries.
            await using var snapshot = await Engine.Persistence.ReadSnapshot.BeginAsync(db);
            return await db.AuditOutbox.CountAsync(a => a.Action == "trigger.rejected" && a.Summary.Contains("'" + key + "'"))
                + await db.AuditEvents.CountAsync(a => a.Action == "trigger.rejected" && a.Summary.Contains("'" + key + "'"));
        });
}
