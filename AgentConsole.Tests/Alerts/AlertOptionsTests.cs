using System.ComponentModel.DataAnnotations;
using AgentConsole.Engine.Alerts;

namespace AgentConsole.Tests.Alerts;

public sealed class AlertOptionsTests
{
    [Theory]
    [InlineData("* * * * *", true)]
    [InlineData("*/5 * * * *", true)]
    [InlineData("every minute", false)]
    [InlineData("* * * * * *", false)]
    public void Validate_AcceptsOnlyFiveFieldCron(string cron, bool valid)
    {
        var options = new AlertOptions { EvaluationCron = cron };

        var errors = options.Validate(new ValidationContext(options)).ToList();

        Assert.Equal(valid, errors.Count == 0);
        if (!valid)
        {
            Assert.Contains("AgentConsole:Alerts:EvaluationCron", errors[0].ErrorMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validation_RefusesAnAllAgentsTotal_OnARuleForOneAgent_AndABandUpsideDown()
    {
        var errors = AlertRuleValidation.Validate(new AlertRuleEdit
        {
            Name = "x", Kind = AlertKind.DailySpend, AgentKey = "lead-router", Parameters = new() { DailyLimitUsd = 10, AllAgentsTogether = true },
        });
        Assert.Equal([AlertRuleValidation.AllAgentsTogether], errors.Keys);

        errors = AlertRuleValidation.Validate(new AlertRuleEdit
        {
            Name = "y", Kind = AlertKind.EscalationRate, Parameters = new() { LowPercent = 20, HighPercent = 10, RedesignPercent = 5 },
        });
        Assert.Equal([AlertRuleValidation.HighPercent, AlertRuleValidation.RedesignPercent], errors.Keys.Order(StringComparer.Ordinal));
    }
}
