using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Agents.Documentation;
using AgentConsole.Engine.Agents.Scoping;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Agents.Scoping;

/// <summary>Scoping saved through the store and a scorecard over runs seeded into a real SQLite database.</summary>
public sealed class AgentScorecardsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly PilotStart = new(2026, 11, 20);
    private readonly string _folder = RunHost.NewFolder();
    private readonly FakeTimeProvider _time = new(Now);
    private RunHost _host = default!;

    private AgentScopings Scopings => _host.Services.GetRequiredService<AgentScopings>();

    private AgentScorecards Scorecards => _host.Services.GetRequiredService<AgentScorecards>();

    public async Task InitializeAsync() => _host = await RunHost.StartAsync(_folder, _time);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        RunHost.DeleteFolder(_folder);
    }

    private static ScopingDraft Draft(DateOnly? start = null) => new()
    {
        HourlyRateUsd = 60m,
        HoursPerWeek = 20m,
        WeeklyVolume = 120,
        PilotStart = start ?? PilotStart,
        Notes = "  Sales ops routes every lead by hand today.  ",
    };

    [Fact]
    public async Task SaveAsync_StoresTheScoping_WithRevisionAuthorAndTrimmedNotes()
    {
        var first = await Scopings.SaveAsync(DemoWorkspace.LeadRouterKey, Draft(), 0, "owner@example.com");
        var second = await Scopings.SaveAsync(DemoWorkspace.LeadRouterKey, Draft(new DateOnly(2026, 12, 1)), 1, "admin@example.com");

        Assert.Equal((AgentSaveOutcome.Saved, AgentSaveOutcome.Saved), (first.Outcome, second.Outcome));
        var stored = (await Scopings.FindAsync(DemoWorkspace.LeadRouterKey))!;
        Assert.Equal((2, "admin@example.com", Now, new DateOnly(2026, 12, 1)), (stored.Revision, stored.UpdatedBy, stored.UpdatedAt, stored.PilotStart));
        Assert.Equal("Sales ops routes every lead by hand today.", stored.Notes);
        Assert.Equal((60m, 20m, 120), (stored.HourlyRateUsd, stored.HoursPerWeek, stored.WeeklyVolume));
    }

    [Fact]
    public async Task SaveAsync_ReturnsConflict_WhenTheRevisionIsStale_AndNotFound_ForAnUnknownAgent()
    {
        await Scopings.SaveAsync(DemoWorkspace.LeadRouterKey, Draft(), null, "owner@example.com");

        var stale = await Scopings.SaveAsync(DemoWorkspace.LeadRouterKey, Draft(), 0, "admin@example.com");
        var unknown = await Scopings.SaveAsync("no-such-agent", Draft(), null, "admin@example.com");

        Assert.Equal(AgentSaveOutcome.Conflict, stale.Outcome);
        Assert.Contains("owner@example.com", stale.Message, StringComparison.Ordinal);
        Assert.Equal(AgentSaveOutcome.NotFound, unknown.Outcome);
        Assert.Null(await Scopings.FindAsync("no-such-agent"));
    }

    [Fact]
    public async Task SaveAsync_RefusesInvalidData_WithAMessagePerField_AndStoresNothing()
    {
        var result = await Scopings.SaveAsync(DemoWorkspace.LeadRouterKey, new ScopingDraft
        {
            HourlyRateUsd = -5m,
            HoursPerWeek = 169m,
            WeeklyVolume = 0,
            ManualMinutesPerCase = 0m,
            ReviewMinutesPerEscalation = -1m,
            PilotStart = new DateOnly(1999, 12, 31),
            Notes = new string('x', ScopingRules.NotesMaxLength + 1),
        }, null, "owner@example.com");

        Assert.Equal(AgentSaveOutcome.Invalid, result.Outcome);
        Assert.Equal(
            ["hourlyRateUsd", "hoursPerWeek", "manualMinutesPerCase", "notes", "pilotStart", "reviewMinutesPerEscalation", "weeklyVolume"],
            result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("168", result.Errors["hoursPerWeek"][0], StringComparison.Ordinal);
        Assert.Contains("at least 1 case", result.Errors["weeklyVolume"][0], StringComparison.Ordinal);
        Assert.Null(await Scopings.FindAsync(DemoWorkspace.LeadRouterKey));
    }

    [Fact]
    public void Validate_AsksForTheRequiredFigures_WhenTheyAreMissing()
    {
        var errors = ScopingRules.Validate(new ScopingDraft(), new DateOnly(2026, 12, 7));

        Assert.Equal(["hourlyRateUsd", "hoursPerWeek", "weeklyVolume"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BuildAsync_ScoresOnlyTheAgentsRunsInThePilotWindow()
    {
        await Scopings.SaveAsync(DemoWorkspace.LeadRouterKey, Draft(), null, "owner@example.com");
        await _host.CreateAgentAsync(new AgentDefinition { Key = "other-agent", Name = "Other agent" });
        var windowStart = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        await SeedAsync(
            // Ended before the pilot (runs count in the hour they end) and another agent's run: neither counts.
            (DemoWorkspace.LeadRouterKey, windowStart.AddMinutes(-5), RunStatus.Succeeded, false, 5m),
            ("other-agent", windowStart.AddHours(1), RunStatus.Failed, true, 5m));
        for (var i = 0; i < 7; i++)
        {
            await SeedAsync((DemoWorkspace.LeadRouterKey, windowStart.AddHours(i), RunStatus.Succeeded, false, 0.02m));
        }

        await SeedAsync(
            (DemoWorkspace.LeadRouterKey, windowStart.AddDays(1), RunStatus.Failed, false, 0m),
            (DemoWorkspace.LeadRouterKey, windowStart.AddDays(2), RunStatus.WaitingForHuman, true, 0m),
            (DemoWorkspace.LeadRouterKey, windowStart.AddDays(3), RunStatus.Succeeded, true, 0.02m));

        var card = (await Scorecards.BuildAsync(DemoWorkspace.LeadRouterKey))!;

        Assert.Equal(new PilotFigures(10, 9, 1, 2, 0.16m, 0.1, 0.2, 0.016m), card.Pilot.Figures);
        Assert.Equal((60_000m, ScopingFit.WorthAnAgent, 10m), (card.Baseline!.AnnualManualCostUsd, card.Baseline.Fit, card.Baseline.ManualCostPerCaseUsd));
        // 8 cases × 10 min − 2 escalations × 10 min = 60 min; day 18 of 30.
        Assert.Equal((8, 1m, true, 18), (card.Pilot.CasesHandled, card.Pilot.TimeSavedHours, card.Pilot.Running, card.Pilot.DaysElapsed));
        Assert.Equal(PilotVerdict.Ambiguous, card.Pilot.Verdict);
        Assert.Contains("Escalation rate 20% is above the healthy 5–15 % band.", card.Pilot.Reasons);
        Assert.Contains("Error rate 10% is above 5 %.", card.Pilot.Reasons);
    }

    [Fact]
    public async Task BuildAsync_IsNull_ForAnUnknownAgent_AndNotStarted_WithoutScoping()
    {
        Assert.Null(await Scorecards.BuildAsync("no-such-agent"));

        var card = (await Scorecards.BuildAsync(DemoWorkspace.LeadRouterKey))!;

        Assert.Null(card.Scoping);
        Assert.Equal(PilotVerdict.NotStarted, card.Pilot.Verdict);
    }

    [Fact]
    public async Task Documentation_IncludesTheBaselineAndTheScorecard()
    {
        await Scopings.SaveAsync(DemoWorkspace.LeadRouterKey, Draft(), null, "owner@example.com");
        await SeedAsync((DemoWorkspace.LeadRouterKey, new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero), RunStatus.Succeeded, false, 0.03m));

        var doc = (await _host.Services.GetRequiredService<AgentDocumentation>().BuildAsync(DemoWorkspace.LeadRouterKey))!;
        var markdown = AgentDocumentMarkdown.Render(doc);

        Assert.Contains("## Scoping and pilot scorecard", markdown, StringComparison.Ordinal);
        Assert.Contains("- **Annual manual cost:** $60,000 (rate × hours × 50 weeks) — Over $25,000 a year", markdown, StringComparison.Ordinal);
        Assert.Contains("- **Manual minutes per case:** 10 (derived: hours × 60 / volume)", markdown, StringComparison.Ordinal);
        Assert.Contains("### Pilot (30 days from 2026-11-20)", markdown, StringComparison.Ordinal);
        Assert.Contains("**Verdict:** Ambiguous: tighten the prompt and rerun the pilot for another 30 days.", markdown, StringComparison.Ordinal);
        Assert.Contains("| Cost per run | $0.03 | $10.00 per case by hand |", markdown, StringComparison.Ordinal);
    }

    private async Task SeedAsync(params (string Agent, DateTimeOffset At, RunStatus Status, bool Escalated, decimal Cost)[] runs)
    {
        await _host.QueryAsync(async db =>
        {
            foreach (var (agent, at, status, escalated, cost) in runs)
            {
                var run = Run.Create(agent, agent, "{}", "tests@agentconsole.local", at);
                run.Start("offline", null, at);
                if (cost > 0)
                {
                    run.RecordModelCall(100, 20, cost, estimated: false);
                }

                if (escalated)
                {
                    db.Escalations.Add(Escalation.Raise(run, EscalationKind.Agent, "Needs a person", "Read the lead", "A lead", at));
                    if (status != RunStatus.WaitingForHuman)
                    {
                        // Handed to a person and resumed by their decision, as the engine does.
                        run.WaitForHuman("Needs a person", at.AddSeconds(10));
                        run.Resume(at.AddSeconds(20));
                    }
                }

                switch (status)
                {
                    case RunStatus.Succeeded:
                        run.Succeed("done", at.AddMinutes(1));
                        break;
                    case RunStatus.Failed:
                        run.Fail("broken", at.AddMinutes(1));
                        break;
                    case RunStatus.WaitingForHuman:
                        run.WaitForHuman("Needs a person", at.AddMinutes(1));
                        break;
                }

                db.Runs.Add(run);
            }

            return await db.SaveChangesAsync();
        });
    }
}
