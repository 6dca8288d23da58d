using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Escalations;

/// <summary>The queue's list (formerly the escalation inbox): open cases by due time, paged with a cursor, resolved ones left out.</summary>
public sealed class ReviewDeskQueueTests : IAsyncLifetime
{
    private const string EnterpriseLead = """{"name":"Ravi Patel","email":"ravi@globex.example","company":"Globex","employees":1200}""";
    private readonly string _folder = RunHost.NewFolder();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private RunHost _host = default!;

    public async Task InitializeAsync() => _host = await RunHost.StartAsync(_folder, _time);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        RunHost.DeleteFolder(_folder);
    }

    [Fact]
    public async Task List_PagesTheOpenEscalationsByDueTime_AndLeavesOutResolvedOnes()
    {
        var runs = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var id = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead);
            await _host.ExecuteAsync(id);
            runs.Add(id);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var resolved = (await _host.Runs.GetAsync(runs[1]))!.Escalations.Single();
        await _host.Escalations.ResolveAsync(resolved.Id, EscalationAction.Reject, "Not a fit", "reviewer@agentconsole.local");
        var desk = _host.Services.GetRequiredService<ReviewDesk>();

        var first = await desk.ListAsync(new EscalationQuery(Limit: 2));
        var second = await desk.ListAsync(new EscalationQuery(Cursor: first.NextCursor, Limit: 2));
        var counts = await desk.CountAsync();

        Assert.Equal(3, counts.Open);
        Assert.Equal([runs[0], runs[2]], first.Items.Select(e => e.RunId));
        Assert.Equal([runs[3]], second.Items.Select(e => e.RunId));
        Assert.Null(second.NextCursor);
        Assert.All(first.Items.Concat(second.Items), e => Assert.Equal("Inbound lead router", e.AgentName));
        var done = await desk.ListAsync(new EscalationQuery(Open: false));
        Assert.Equal([runs[1]], done.Items.Select(e => e.RunId));
    }
}
