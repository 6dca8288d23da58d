using AgentConsole.Engine.Audit;

namespace AgentConsole.Tests.Audit;

public sealed class FtsQueryTests
{
    [Theory]
    [InlineData("lead", "\"lead\"")]
    [InlineData("lead routed", "\"lead\" AND \"routed\"")]
    [InlineData("\"mid market\" acme", "\"mid market\" AND \"acme\"")]
    [InlineData("inv*", "\"inv\"*")]
    [InlineData("lead -spam", "\"lead\" NOT \"spam\"")]
    [InlineData("\"unbalanced phrase", "\"unbalanced\" AND \"phrase\"")]
    [InlineData("say \"hi\"\"", "\"say\" AND \"hi\"")]
    [InlineData("AND OR NOT", "\"AND\" AND \"OR\" AND \"NOT\"")]
    public void Parse_QuotesEveryTermLiterally(string input, string expected)
    {
        var result = FtsQuery.Parse(input);

        Assert.Null(result.Error);
        Assert.Equal(expected, result.Match);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_ReturnsNoMatch_ForEmptyInput(string? input)
    {
        var result = FtsQuery.Parse(input);

        Assert.Null(result.Match);
        Assert.Null(result.Error);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("-only")]
    [InlineData("\"\"")]
    [InlineData("(((")]
    public void Parse_ExplainsInputWithNothingToSearch(string input)
    {
        var result = FtsQuery.Parse(input);

        Assert.Null(result.Match);
        Assert.NotNull(result.Error);
    }
}
