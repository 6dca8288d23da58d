using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Escalations;

/// <summary>Claims keep two reviewers off the same case: exactly one of many concurrent claims wins; a claim lapses.</summary>
public sealed class EscalationClaimTests : IAsyncLifetime
{
    private const string EnterpriseLead = FakeProviderRuns.EnterpriseLead;
    private readonly string _folder = RunHost.NewFolder();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private RunHost _host = default!;
    private Escalation _escalation = default!;

    public async Task InitializeAsync()
    {
        _host = await RunHost.StartAsync(_folder, _time);
        var id = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead);
        _escalation = Assert.Single((await _host.ExecuteAsync(id)).Escalations);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        RunHost.DeleteFolder(_folder);
    }

    private ReviewDesk Desk => _host.Services.GetRequiredService<ReviewDesk>();

    [Fact]
    public async Task ConcurrentClaims_ExactlyOneWins_TheOthersAreToldWhoHasIt()
    {
        var reviewers = Enumerable.Range(1, 8).Select(i => $"reviewer{i}@agentconsole.local").ToList();

        var results = await Task.WhenAll(reviewers.Select(r => Task.Run(() => Desk.ClaimAsync(_escalation.Id, r, _escalation.Version))));

        var winners = results.Where(r => r.Outcome == RunCommandOutcome.Done).ToList();
        Assert.Single(winners);
        var holder = (await _host.Escalations.FindAsync(_escalation.Id))!.ClaimedBy;
        Assert.Contains(holder, reviewers);
        Assert.All(results.Where(r => r.Outcome != RunCommandOutcome.Done), r =>
        {
            Assert.Equal(RunCommandOutcome.Conflict, r.Outcome);
            Assert.Matches("claimed|changed|working on", r.Message!);
        });
    }

    [Fact]
    public async Task AClaimedCase_CannotBeDecidedByAnother_UntilReleasedOrLapsed()
    {
        Assert.Equal(RunCommandOutcome.Done, (await Desk.ClaimAsync(_escalation.Id, "ray@agentconsole.local")).Outcome);
        var other = new EscalationReviewer("olivia@agentconsole.local", [Engine.Access.Roles.Owner]);

        var blocked = await _host.Escalations.ResolveAsync(_escalation.Id, new EscalationDecision(EscalationAction.Reject, "no"), other);
        var otherClaim = await Desk.ClaimAsync(_escalation.Id, "olivia@agentconsole.local");
        _time.Advance(TimeSpan.FromMinutes(31));
        var afterLapse = await Desk.ClaimAsync(_escalation.Id, "olivia@agentconsole.local");

        Assert.Equal(RunCommandOutcome.Conflict, blocked.Outcome);
        Assert.Contains("ray@agentconsole.local is working on this escalation", blocked.Message, StringComparison.Ordinal);
        Assert.Equal(RunCommandOutcome.Conflict, otherClaim.Outcome);
        Assert.Equal(RunCommandOutcome.Done, afterLapse.Outcome);
    }

    [Fact]
    public async Task Release_FreesTheCase_ForTheNextReviewer()
    {
        await Desk.ClaimAsync(_escalation.Id, "ray@agentconsole.local");
        var released = await Desk.ReleaseAsync(_escalation.Id, "ray@agentconsole.local");
        var next = await _host.Escalations.ResolveAsync(_escalation.Id, new EscalationDecision(EscalationAction.Approve, Value: "Mid-market sequence"),
            new EscalationReviewer("olivia@agentconsole.local", [Engine.Access.Roles.Owner]));

        Assert.Equal(RunCommandOutcome.Done, released.Outcome);
        Assert.Equal(RunCommandOutcome.Done, next.Outcome);
    }

    [Fact]
    public async Task Queue_ListsOpenCasesByDueTime_FiltersOverdue_AndCounts()
    {
        _time.Advance(TimeSpan.FromMinutes(30));
        var laterRun = await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead);
        var later = Assert.Single((await _host.ExecuteAsync(laterRun)).Escalations);
        _time.Advance(TimeSpan.FromMinutes(215)); // the first is 5 minutes overdue (4 h SLA), the second due in 25 minutes

        var page = await Desk.ListAsync(new EscalationQuery());
        var overdue = await Desk.ListAsync(new EscalationQuery(Due: EscalationDue.Overdue));
        var soon = await Desk.ListAsync(new EscalationQuery(Due: EscalationDue.Soon));
        var counts = await Desk.CountAsync();

        Assert.Equal([_escalation.Id, later.Id], page.Items.Select(i => i.Id));
        Assert.Equal(_escalation.Id, Assert.Single(overdue.Items).Id);
        Assert.Equal(later.Id, Assert.Single(soon.Items).Id);
        Assert.Equal((2, 1, 1), (counts.Open, counts.Overdue, counts.DueSoon));
        Assert.Equal(2, counts.ByKind[EscalationKind.Route]);
    }

    [Fact]
    public async Task Queue_PagesWithACursor_WithoutRepeatingOrSkipping()
    {
        var ids = new List<Guid> { _escalation.Id };
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            ids.Add(Assert.Single((await _host.ExecuteAsync(await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead))).Escalations).Id);
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await Desk.ListAsync(new EscalationQuery(Cursor: cursor, Limit: 2));
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(ids, seen);
        await Assert.ThrowsAsync<FormatException>(() => Desk.ListAsync(new EscalationQuery(Cursor: "not-a-cursor")));
    }
}
