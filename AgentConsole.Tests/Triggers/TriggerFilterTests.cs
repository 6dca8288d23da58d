using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers;

namespace AgentConsole.Tests.Triggers;

public sealed class TriggerFilterTests
{
    // The practice guide's example: a new lead AND the source is the website contact form AND the industry is on the target list.
    private static readonly TriggerFilter GuideExample = new(FilterMatch.All,
    [
        new TriggerCondition("status", "\"new\""),
        new TriggerCondition("source", "\"website contact form\""),
        new TriggerCondition("industry", "\"SaaS\",\"Retail\",\"Manufacturing\""),
    ]);

    private static CompiledTriggerFilter Compile(TriggerFilter filter)
    {
        var compiled = CompiledTriggerFilter.Compile(filter, out var errors);
        Assert.Empty(errors);
        return compiled!;
    }

    private static JsonObject Lead(string industry, string source = "website contact form", string status = "new") =>
        new() { ["status"] = status, ["source"] = source, ["industry"] = industry, ["employees"] = 120 };

    [Fact]
    public void Evaluate_MatchesTheGuidesExample_OnlyWhenEveryConditionHolds()
    {
        var filter = Compile(GuideExample);

        Assert.True(filter.Evaluate(Lead("SaaS")).Matched);
        var outcome = filter.Evaluate(Lead("Mining"));
        Assert.False(outcome.Matched);
        Assert.Equal("industry is \"Mining\", which does not pass \"SaaS\",\"Retail\",\"Manufacturing\"", outcome.Reason);
        Assert.Contains("source", filter.Evaluate(Lead("SaaS", source: "trade fair")).Reason);
    }

    [Fact]
    public void Evaluate_AnyGroup_PassesWhenOneAlternativeHolds_AndNamesEveryFailureOtherwise()
    {
        var filter = Compile(new TriggerFilter(FilterMatch.All,
            [new TriggerCondition("source", "\"website contact form\"")],
            [new TriggerFilter(FilterMatch.Any, [new TriggerCondition("employees", "> 500"), new TriggerCondition("industry", "\"SaaS\"")])]));

        Assert.True(filter.Evaluate(Lead("SaaS")).Matched);
        Assert.True(filter.Evaluate(new JsonObject { ["source"] = "website contact form", ["industry"] = "Mining", ["employees"] = 900 }).Matched);
        var outcome = filter.Evaluate(Lead("Mining"));
        Assert.False(outcome.Matched);
        Assert.Contains("none of the alternatives holds", outcome.Reason);
        Assert.Contains("employees is 120", outcome.Reason);
        Assert.Contains("industry is \"Mining\"", outcome.Reason);
    }

    [Theory]
    [InlineData("[10..500]", 120, true)]
    [InlineData("[10..500]", 501, false)]
    [InlineData("< 10", 10, false)]
    [InlineData("not(null)", 1, true)]
    [InlineData("-", 7, true)]
    public void Evaluate_UsesSFeelUnaryTests_OnNumbers(string test, int employees, bool matched)
    {
        var filter = Compile(new TriggerFilter(FilterMatch.All, [new TriggerCondition("employees", test)]));

        Assert.Equal(matched, filter.Evaluate(new JsonObject { ["employees"] = employees }).Matched);
    }

    [Fact]
    public void Evaluate_ReadsNestedPathsAndLists_AndTreatsAMissingFieldAsNull()
    {
        var payload = JsonNode.Parse("""{"lead":{"address":{"country":"DE"},"tags":["partner","vip"]},"attachments":[{"name":"cv.pdf"}]}""")!.AsObject();

        Assert.True(Compile(new TriggerFilter(FilterMatch.All, [new TriggerCondition("lead.address.country", "\"DE\",\"AT\"")])).Evaluate(payload).Matched);
        Assert.True(Compile(new TriggerFilter(FilterMatch.All, [new TriggerCondition("lead.tags", "\"vip\"")])).Evaluate(payload).Matched);
        Assert.True(Compile(new TriggerFilter(FilterMatch.All, [new TriggerCondition("attachments[0].name", "\"cv.pdf\"")])).Evaluate(payload).Matched);
        Assert.True(Compile(new TriggerFilter(FilterMatch.All, [new TriggerCondition("lead.phone", "null")])).Evaluate(payload).Matched);
        var missing = Compile(new TriggerFilter(FilterMatch.All, [new TriggerCondition("lead.phone", "not(null)")])).Evaluate(payload);
        Assert.False(missing.Matched);
        Assert.Equal("lead.phone is missing, which does not pass not(null)", missing.Reason);
    }

    [Theory]
    [InlineData("? > 5")]
    [InlineData("nope(1)")]
    public void Compile_RefusesTestsThatNeedADecisionsScope_WithAMessage(string test)
    {
        var filter = new TriggerFilter(FilterMatch.All, [new TriggerCondition("employees", test)]);

        Assert.Null(CompiledTriggerFilter.Compile(filter, out var errors));

        Assert.Contains("cannot be a filter test", errors["filter.conditions[0].test"][0]);
    }

    [Fact]
    public void Compile_NamesEveryBadPartByWhereItIs()
    {
        var filter = new TriggerFilter(FilterMatch.All,
            [new TriggerCondition("source", "\"website"), new TriggerCondition("a..b", "1")],
            [new TriggerFilter(FilterMatch.Any, [new TriggerCondition("industry", "SaaS"), new TriggerCondition("employees", "")])]);

        Assert.Null(CompiledTriggerFilter.Compile(filter, out var errors));

        Assert.Contains("not a valid S-FEEL test", errors["filter.conditions[0].test"][0]);
        Assert.Contains("not a field path", errors["filter.conditions[1].path"][0]);
        Assert.Contains("put text in quotes", errors["filter.groups[0].conditions[0].test"][0]);
        Assert.Contains("Give a test", errors["filter.groups[0].conditions[1].test"][0]);
    }

    [Fact]
    public void Compile_RefusesFiltersNestedTooDeep_OrWithTooManyConditions()
    {
        var deep = new TriggerFilter(FilterMatch.All, [new TriggerCondition("a", "1")]);
        for (var i = 0; i < TriggerFilter.MaxDepth; i++)
        {
            deep = new TriggerFilter(FilterMatch.Any, [], [deep]);
        }

        Assert.Null(CompiledTriggerFilter.Compile(deep, out var depthErrors));
        Assert.Contains(depthErrors, e => e.Value[0].Contains("nest at most", StringComparison.Ordinal));

        var wide = new TriggerFilter(FilterMatch.All, [.. Enumerable.Range(0, TriggerFilter.MaxConditions + 1).Select(i => new TriggerCondition($"f{i}", "1"))]);
        Assert.Null(CompiledTriggerFilter.Compile(wide, out var wideErrors));
        Assert.Contains($"at most {TriggerFilter.MaxConditions} conditions", wideErrors[$"filter.conditions[{TriggerFilter.MaxConditions}]"][0]);
    }

    [Fact]
    public void Filter_RoundTripsThroughItsJson()
    {
        var json = GuideExample.ToJson();

        var back = TriggerFilter.FromJson(json)!;

        Assert.Contains("\"match\":\"All\"", json);
        Assert.Equal(GuideExample.Conditions, back.Conditions);
        Assert.True(Compile(back).Evaluate(Lead("Retail")).Matched);
    }
}
