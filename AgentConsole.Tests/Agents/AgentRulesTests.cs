using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;

namespace AgentConsole.Tests.Agents;

public sealed class AgentRulesTests
{
    private static AgentDefinition Valid() => new() { Key = "lead-router", Name = "Lead router" };

    [Fact]
    public void Validate_AcceptsDefinition_WithPracticeGuideDefaults()
    {
        var definition = Valid();

        Assert.Empty(AgentRules.Validate(definition));
        Assert.Equal(15, definition.MaxSteps);
        Assert.Equal(2.00m, definition.BudgetPerRunUsd);
    }

    [Fact]
    public void Validate_AcceptsTheDemoAgent()
    {
        Assert.Empty(AgentRules.Validate(DemoWorkspace.LeadRouter()));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(50, true)]
    [InlineData(51, false)]
    public void Validate_BoundsMaxSteps_Between1And50(int steps, bool valid)
    {
        var definition = Valid();
        definition.MaxSteps = steps;

        var errors = AgentRules.Validate(definition);

        Assert.Equal(valid, !errors.ContainsKey("maxSteps"));
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("0.01", true)]
    [InlineData("100", true)]
    [InlineData("100.01", false)]
    [InlineData("-2", false)]
    public void Validate_BoundsBudget_Between1CentAnd100Dollars(string budget, bool valid)
    {
        var definition = Valid();
        definition.BudgetPerRunUsd = decimal.Parse(budget, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(valid, !AgentRules.Validate(definition).ContainsKey("budgetPerRunUsd"));
    }

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    [InlineData(86_400, true)]
    [InlineData(86_401, false)]
    public void Validate_BoundsWallClockLimit_Between10SecondsAnd24Hours(int seconds, bool valid)
    {
        var definition = Valid();
        definition.WallClockLimitSeconds = seconds;

        Assert.Equal(valid, !AgentRules.Validate(definition).ContainsKey("wallClockLimitSeconds"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("Lead Router")]
    [InlineData("lead_router")]
    [InlineData("-lead")]
    [InlineData("lead--router")]
    [InlineData("lead-")]
    public void Validate_RejectsKey_ThatIsNotASlug(string key)
    {
        var definition = Valid();
        definition.Key = key;

        var errors = AgentRules.Validate(definition);

        Assert.True(errors.ContainsKey("key"), $"'{key}' should be rejected");
    }

    [Fact]
    public void Validate_RequiresName()
    {
        var definition = Valid();
        definition.Name = "   ";

        Assert.Equal(["Name is required."], AgentRules.Validate(definition)["name"]);
    }

    [Fact]
    public void Validate_NamesTheDuplicateInputField_ByItsIndex()
    {
        var definition = Valid();
        definition.InputFields = [new() { Name = "email" }, new() { Name = "Email" }];

        var errors = AgentRules.Validate(definition);

        Assert.True(errors.ContainsKey("inputFields[1].name"));
        Assert.False(errors.ContainsKey("inputFields[0].name"));
        Assert.Contains("declared twice", errors["inputFields[1].name"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1st")]
    [InlineData("first name")]
    [InlineData("e-mail")]
    public void Validate_RejectsInputFieldName_ThatIsNotAnIdentifier(string name)
    {
        var definition = Valid();
        definition.InputFields = [new() { Name = name }];

        Assert.True(AgentRules.Validate(definition).ContainsKey("inputFields[0].name"));
    }

    [Fact]
    public void Validate_RejectsUndefinedEnumValues()
    {
        var definition = Valid();
        definition.Status = (AgentStatus)42;
        definition.AutonomyLevel = (AutonomyLevel)(-1);

        var errors = AgentRules.Validate(definition);

        Assert.True(errors.ContainsKey("status"));
        Assert.True(errors.ContainsKey("autonomyLevel"));
    }

    [Fact]
    public void Validate_LimitsInputFieldCount()
    {
        var definition = Valid();
        definition.InputFields = [.. Enumerable.Range(0, 51).Select(i => new AgentInputField { Name = $"f{i}" })];

        Assert.True(AgentRules.Validate(definition).ContainsKey("inputFields"));
    }
}
