using System.Globalization;
using System.Net;
using System.Text.Json;
using AgentConsole.Engine.Triggers.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Benchmarks.Webhooks;

/// <summary>
/// The baseline: the simplest correct webhook receiver — bare Kestrel, the same signature check and JSON check, then one
/// SQLite insert per request (WAL, synchronous=NORMAL, as the app's database) before it answers 202. It runs in a process
/// of its own (this executable in mode <c>webhooks-baseline</c>), as the app does, so neither shares the load generator's CPU
/// time differently.
/// </summary>
internal static class BaselineServer
{
    public const string Mode = "webhooks-baseline";

    public static async Task<int> RunAsync(int port, string databasePath, string secret)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString();
        await using (var setup = new SqliteConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var command = setup.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS Events (Id TEXT PRIMARY KEY, ReceivedAt TEXT NOT NULL, PayloadJson TEXT NOT NULL);";
            await command.ExecuteNonQueryAsync();
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var secrets = new[] { secret };
        app.MapGet("/healthz", () => "ok");
        app.MapPost("/hooks/{key}", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length).ToArray();
            Span<byte> expected = stackalloc byte[WebhookSignature.HashBytes];
            var timestamp = http.Request.Headers[WebhookSignature.TimestampHeader].ToString();
            if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300
                || !WebhookSignature.TryParse(http.Request.Headers[WebhookSignature.SignatureHeader].ToString(), expected)
                || !WebhookSignature.Verify(secrets, timestamp, body, expected))
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            try
            {
                using var _ = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                return Results.StatusCode(StatusCodes.Status400BadRequest);
            }

            var id = Guid.CreateVersion7();
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL; INSERT INTO Events (Id, ReceivedAt, PayloadJson) VALUES ($id, $at, $payload);";
            insert.Parameters.AddWithValue("$id", id.ToString());
            insert.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$payload", System.Text.Encoding.UTF8.GetString(body));
            await insert.ExecuteNonQueryAsync();
            return Results.Json(new { eventId = id }, statusCode: StatusCodes.Status202Accepted);
        });
        await app.RunAsync();
        return 0;
    }

    public static long Count(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Events";
        return (long)command.ExecuteScalar()!;
    }
}
