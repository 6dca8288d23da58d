using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Runs;

namespace AgentConsole.Tests.Evaluations;

public sealed class CaseScoringTests
{
    private static CaseRunFacts Run(string? facts = null, string[]? tools = null, int escalations = 0, string? output = null, RunStatus status = RunStatus.Succeeded,
        string? reason = null) =>
        new(false, null, status, reason, facts, tools ?? [], escalations, output);

    [Fact]
    public void Score_Passes_WhenEveryStatedExpectationHolds()
    {
        var test = new TestCase
        {
            ExpectedDecisionsJson = """{"lead-routing":"Mid-market sequence"}""",
            MustCall = ["crm_update_lead"],
            MustNotCall = ["send_email"],
            MustEscalate = false,
            OutputContains = ["mid-market"],
        };

        var score = CaseScoring.Score(test, Run("""{"lead-routing":" mid-market SEQUENCE "}""", ["crm_find_company", "crm_update_lead"], output: "Routed to Mid-market sequence."));

        Assert.True(score.Passed, string.Join("; ", score.Reasons));
        Assert.Empty(score.Reasons);
    }

    [Fact]
    public void Score_SaysWhatDecisionWasExpectedAndWhatCame_WhenTheRouteDiffers()
    {
        var test = new TestCase { ExpectedDecisionsJson = """{"lead-routing":{"route":"SMB sequence"}}""" };

        var score = CaseScoring.Score(test, Run("""{"lead-routing":{"route":"Human review","priority":2}}"""));

        Assert.False(score.Passed);
        Assert.Equal("expected route \"SMB sequence\", got \"Human review\"", Assert.Single(score.Reasons));
    }

    [Fact]
    public void Score_ChecksOnlyTheNamedOutputs_WhenTheExpectationIsAnObject()
    {
        var test = new TestCase { ExpectedDecisionsJson = """{"scoring":{"tier":"gold"}}""" };

        Assert.True(CaseScoring.Score(test, Run("""{"scoring":{"tier":"Gold","points":"12"}}""")).Passed);
        // A single-output table's result is the bare value.
        Assert.True(CaseScoring.Score(test, Run("""{"scoring":"gold"}""")).Passed);
    }

    [Fact]
    public void Score_ComparesNumbersByValue_AndSaysWhenADecisionIsMissing()
    {
        var test = new TestCase { ExpectedDecisionsJson = """{"discount":10,"route":"x"}""" };

        var score = CaseScoring.Score(test, Run("""{"discount":"10.0"}"""));

        Assert.Equal("expected decision route to decide, but the run made no route decision", Assert.Single(score.Reasons));
    }

    [Fact]
    public void Score_NamesEachToolProblem()
    {
        var test = new TestCase { MustCall = ["crm_set_lead_status"], MustNotCall = ["send_email"] };

        var score = CaseScoring.Score(test, Run(tools: ["send_email"]));

        Assert.Equal(["did not call crm_set_lead_status, which it must", "called send_email, which it must not"], score.Reasons);
    }

    [Fact]
    public void Score_ChecksEscalationBothWays()
    {
        Assert.Equal("expected an escalation to a person, but the run did not escalate",
            Assert.Single(CaseScoring.Score(new TestCase { MustEscalate = true }, Run()).Reasons));
        Assert.StartsWith("escalated to a person, which it must not",
            Assert.Single(CaseScoring.Score(new TestCase { MustEscalate = false }, Run(escalations: 1, status: RunStatus.WaitingForHuman, reason: "Would escalate: big")).Reasons),
            StringComparison.Ordinal);
        Assert.True(CaseScoring.Score(new TestCase { MustEscalate = null }, Run(escalations: 1)).Passed);
    }

    [Fact]
    public void Score_FailsOnMissingOutputText_CaseInsensitively()
    {
        var test = new TestCase { OutputContains = ["SMB", "welcome"] };

        var score = CaseScoring.Score(test, Run(output: "Routed to smb sequence."));

        Assert.Equal("the output does not contain \"welcome\"", Assert.Single(score.Reasons));
    }

    [Fact]
    public void Score_PassesARefusedInput_OnlyWhenTheCaseExpectsIt()
    {
        var refused = CaseRunFacts.Refused("'email' is required.");

        Assert.True(CaseScoring.Score(new TestCase { ExpectRejected = true }, refused).Passed);
        var unexpected = CaseScoring.Score(new TestCase { MustEscalate = false }, refused);
        Assert.False(unexpected.Passed);
        Assert.Contains("'email' is required.", Assert.Single(unexpected.Reasons), StringComparison.Ordinal);
        Assert.Contains("a run started", Assert.Single(CaseScoring.Score(new TestCase { ExpectRejected = true }, Run()).Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Score_FailsWithTheEngineReason_WhenTheRunFailed()
    {
        var score = CaseScoring.Score(new TestCase { MustEscalate = false }, Run(status: RunStatus.Failed, reason: "Model provider 'x' is not configured."));

        Assert.Equal("the run failed: Model provider 'x' is not configured.", Assert.Single(score.Reasons));
    }
}
