using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Runs;

public sealed class EscalationInboxTests : IAsyncLifetime
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
    public async Task ListOpen_PagesTheOpenEscalationsOldestFirst_AndLeavesOutResolvedOnes()
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
        var inbox = _host.Services.GetRequiredService<EscalationInbox>();

        var first = await inbox.ListOpenAsync(0, 2);
        var second = await inbox.ListOpenAsync(2, 2);

        Assert.Equal(3, first.Total);
        Assert.Equal([runs[0], runs[2]], first.Items.Select(e => e.RunId));
        Assert.Equal([runs[3]], second.Items.Select(e => e.RunId));
        Assert.All(first.Items.Concat(second.Items), e => Assert.Equal("Inbound lead router", e.AgentName));
    }
}
