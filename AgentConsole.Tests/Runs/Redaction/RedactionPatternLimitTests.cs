using System.ComponentModel.DataAnnotations;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Runs.Redaction;
using AgentConsole.Tests.Models;
using static AgentConsole.Tests.Runs.FakeProviderRuns;

namespace AgentConsole.Tests.Runs.Redaction;

/// <summary>Custom patterns cannot make redaction slow: linear engine, a count limit and a scan budget that fails closed.</summary>
public sealed class RedactionPatternLimitTests : IDisposable
{
    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public void Find_ScansACatastrophicBacktrackingPattern_InLinearTime_OnTheNonBacktrackingEngine()
    {
        var redactor = new Redactor(new RedactionOptions(), [new RedactionPattern("RUNAWAY", "(a+)+$"), new RedactionPattern("CODE", @"ZX-\d{4}")]);
        var text = new string('a', 200_000) + "! code ZX-1234";

        // Before, this pattern timed out on far shorter text; now it finishes and still finds the real match.
        var matches = redactor.Find(text);

        Assert.True(Redactor.IsLinear("(a+)+$"));
        var match = Assert.Single(matches);
        Assert.Equal(("CODE", "ZX-1234"), (match.Kind, text.Substring(match.Index, match.Length)));
    }

    [Fact]
    public void Find_FailsClosed_WithTheBudgetError_WhenABacktrackingPatternRunsAway()
    {
        Assert.False(Redactor.IsLinear(@"(?=a)(a+)+$"));
        var redactor = new Redactor(new RedactionOptions { ScanBudgetMilliseconds = 50 }, [new RedactionPattern("RUNAWAY", @"(?=a)(a+)+$")]);
        var vault = new RedactionVault(redactor);
        var text = new string('a', 5_000) + "! SSN 219-09-9999";

        var ex = Assert.Throws<RedactionScanException>(() => vault.Redact(text));

        Assert.Equal("RUNAWAY", ex.PatternName);
        Assert.Contains("ScanBudgetMilliseconds", ex.Message, StringComparison.Ordinal);
        // What the run stores instead of a text it could not scan: a marker, never the text.
        Assert.Equal(RunRedaction.Withheld, new RunRedaction(vault).Text(text));
    }

    [Fact]
    public void Validate_LimitsTheNumberOfPatternsPerAgent_AndKeysErrorsByNameAndPattern()
    {
        var definition = DemoWorkspace.LeadRouter();
        definition.RedactionPatterns = [.. Enumerable.Range(1, 4).Select(i => new AgentRedactionPattern { Name = $"CODE_{i}", Pattern = $@"C{i}-\d+" })];
        Assert.Empty(AgentRules.Validate(definition, maxRedactionPatterns: 4));

        var errors = AgentRules.Validate(definition, maxRedactionPatterns: 3);
        Assert.Equal(["redactionPatterns"], errors.Keys);
        Assert.Contains("At most 3", errors["redactionPatterns"][0], StringComparison.Ordinal);

        definition.RedactionPatterns = [new() { Name = "bad name", Pattern = "(unclosed" }];
        errors = AgentRules.Validate(definition);
        Assert.Equal(["redactionPatterns[0].name", "redactionPatterns[0].pattern"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Options_RejectMoreGlobalPatternsThanTheLimit()
    {
        var options = new RedactionOptions { MaxCustomPatterns = 2, CustomPatterns = { ["A_1"] = "a1", ["A_2"] = "a2", ["A_3"] = "a3" } };

        var errors = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));

        Assert.Contains(errors, e => e.ErrorMessage!.Contains("MaxCustomPatterns", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_Escalates_WithoutCallingTheModel_WhenRedactionExceedsItsScanBudget()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.Text("Never asked."));
        await using var host = await StartHostAsync(endpoint, _folders.New(),
            agent: a => a.RedactionPatterns = [new() { Name = "RUNAWAY", Pattern = @"(?=a)(a+)+$" }],
            settings: ("AgentConsole:Redaction:ScanBudgetMilliseconds", "50"));
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey,
            $$"""{"name":"Dana Lee","email":"dana@acme.example","company":"Acme GmbH","employees":42,"notes":"{{new string('a', 5_000)}}!"}""");

        var detail = await host.ExecuteAsync(id);

        Assert.True(detail.Run.Status == RunStatus.WaitingForHuman, Timeline(detail));
        Assert.Equal(0, endpoint.CallCount);
        var escalation = Assert.Single(detail.Escalations);
        Assert.Equal(EscalationKind.ModelError, escalation.Kind);
        Assert.Contains("RUNAWAY", escalation.Reason, StringComparison.Ordinal);
        Assert.Contains("ScanBudgetMilliseconds", escalation.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('a', 100), string.Join("\n", detail.Steps.Select(s => s.Title + s.DetailJson)), StringComparison.Ordinal);
    }
}
