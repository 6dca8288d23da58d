using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using AgentConsole.Benchmarks.Reporting;
using AgentConsole.Engine.Triggers.Webhooks;

namespace AgentConsole.Benchmarks.Webhooks;

/// <summary>
/// A closed-loop load generator: <c>connections</c> workers on one <see cref="SocketsHttpHandler"/> pool, each sending
/// a freshly signed request (its own body, so no two share a signature) as soon as the previous one is answered.
/// Requests completed inside the measured window count for rate and latency; every 2xx counts for the loss check.
/// </summary>
internal static class WebhookLoad
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task<LoadResult> RunAsync(string target, Uri url, string secret, int connections, TimeSpan warmup, TimeSpan duration, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            UseProxy = false,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var measureUntil = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var sequence = 0;
        var workers = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var tally = new Tally();
            while (Stopwatch.GetTimestamp() < measureUntil && !ct.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref sequence);
                var body = Body(n);
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = Json;
                request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
                request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
                var sent = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var response = await http.SendAsync(request, ct);
                    await response.Content.ReadAsByteArrayAsync(ct);
                    status = (int)response.StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    status = 0;
                }

                var answered = Stopwatch.GetTimestamp();
                var ok = status is >= 200 and < 300;
                if (ok)
                {
                    tally.AcceptedTotal++;
                }

                if (sent < measureFrom || answered > measureUntil)
                {
                    continue;
                }

                if (ok)
                {
                    tally.Accepted++;
                    tally.Latency.Add(Stopwatch.GetElapsedTime(sent, answered).TotalMilliseconds);
                }
                else
                {
                    tally.Errors[status] = tally.Errors.GetValueOrDefault(status) + 1;
                }
            }

            return tally;
        }, ct)));

        var latency = new Samples();
        var errors = new Dictionary<int, int>();
        foreach (var tally in workers)
        {
            latency.AddRange(tally.Latency);
            foreach (var (status, count) in tally.Errors)
            {
                errors[status] = errors.GetValueOrDefault(status) + count;
            }
        }

        return new LoadResult(target, workers.Sum(w => w.Accepted), errors.Values.Sum(), duration, latency, workers.Sum(w => w.AcceptedTotal), errors);
    }

    /// <summary>A lead like the demo's webhook receives (about 250 bytes), numbered so every request is distinct.</summary>
    public static byte[] Body(int n) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""{"name":"Bench Lead {{n}}","email":"lead{{n}}@bench.example","company":"Bench {{n % 500}} GmbH","employees":{{n % 900}},"industry":"SaaS","source":"bench","message":"Load-test lead number {{n}}; please ignore."}"""));

    private sealed class Tally
    {
        public int Accepted { get; set; }

        public int AcceptedTotal { get; set; }

        public Samples Latency { get; } = new();

        public Dictionary<int, int> Errors { get; } = [];
    }
}
