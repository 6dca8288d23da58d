using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Tools;

/// <summary>
/// A real SQLite database with the engine's tool services, calling tools the way a run does: through the
/// <see cref="ToolInvoker"/> (schema check, connection snapshot, one attempt under a time limit).
/// </summary>
public sealed class MessagingHarness : IAsyncDisposable
{
    private MessagingHarness(TestDatabase database) => Database = database;

    public TestDatabase Database { get; }

    public static async Task<MessagingHarness> CreateAsync()
    {
        var database = await TestDatabase.CreateAsync();
        await database.Get<ConnectionStore>().EnsureDefaultsAsync(CancellationToken.None);
        return new MessagingHarness(database);
    }

    public ToolDefinition Tool(string key) => Database.Get<ToolRegistry>().Find(key) ?? throw new InvalidOperationException($"No tool {key}.");

    public Task<ToolCallOutcome> CallAsync(string tool, string arguments, Guid runId, string callId = "call-1") =>
        Database.Get<ToolInvoker>().InvokeAsync(Tool(tool), ToolScope.Write, (JsonObject)JsonNode.Parse(arguments)!, runId, "lead-router", callId, null, false, CancellationToken.None);

    /// <summary>Switches a connection to live with these settings and secrets, as an Admin would in Settings.</summary>
    public async Task SetLiveAsync(string connection, JsonObject settings, Dictionary<string, string>? secrets = null)
    {
        var saved = await Database.Get<ConnectionStore>().UpdateAsync(connection,
            new ConnectionUpdate(ConnectionMode.Live, settings, secrets, SimulatedFailure.None), "admin@example.com");
        Assert.Equal(ConnectionSaveOutcome.Saved, saved.Outcome);
    }

    public async Task<List<T>> RowsAsync<T>() where T : class
    {
        await using var db = await Database.Contexts.CreateDbContextAsync();
        return await db.Set<T>().AsNoTracking().ToListAsync();
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
