using System.Text.Json.Nodes;
using AgentConsole.Engine.Runs;

namespace AgentConsole.Tests.Models;

public sealed class RunPromptTests
{
    private static JsonObject Input() => new()
    {
        ["name"] = "Dana Müller",
        ["email"] = "dana@acme.example",
        ["company"] = "Acme GmbH",
        ["employees"] = 42,
        ["message"] = "Line one\nline two with ``` fences and\nTrigger input: words",
    };

    private static JsonObject Facts() => new()
    {
        ["lead-routing"] = "Mid-market sequence",
        ["discount"] = new JsonObject { ["level"] = "B", ["percent"] = 5 },
        ["checks"] = new JsonArray("credit", "fraud"),
        ["unmatched"] = null,
    };

    [Fact]
    public void TryParse_GivesBackInputAndFacts_OfBuildUserMessage()
    {
        var text = RunPrompt.BuildUserMessage(Input(), Facts());

        Assert.True(RunPrompt.TryParse(text, out var input, out var facts));
        Assert.True(JsonNode.DeepEquals(Input(), input));
        Assert.True(JsonNode.DeepEquals(Facts(), facts));
        Assert.Null(RunPrompt.ReadGuidance(text));
    }

    [Fact]
    public void BuildUserMessage_WritesHeadedJsonBlocks_ThatPeopleCanRead()
    {
        var text = RunPrompt.BuildUserMessage(Input(), new JsonObject { ["lead-routing"] = "SMB sequence" });

        Assert.StartsWith("Trigger input:\n```json\n{", text, StringComparison.Ordinal);
        Assert.Contains("\n```\n\nDecision results (facts; routes already enforced by the engine):\n```json\n{", text, StringComparison.Ordinal);
        Assert.EndsWith("\"lead-routing\": \"SMB sequence\"\n}\n```", text, StringComparison.Ordinal);
        Assert.Contains("Dana Müller", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ReadsPlaceholders_WhenRedactionReplacedStringValues()
    {
        var text = RunPrompt.BuildUserMessage(Input(), Facts())
            .Replace("dana@acme.example", "<EMAIL_1>", StringComparison.Ordinal)
            .Replace("Dana Müller", "<PERSON_1>", StringComparison.Ordinal);

        Assert.True(RunPrompt.TryParse(text, out var input, out var facts));
        Assert.Equal("<EMAIL_1>", (string?)input["email"]);
        Assert.Equal("<PERSON_1>", (string?)input["name"]);
        Assert.Equal(42, (int?)input["employees"]);
        Assert.True(JsonNode.DeepEquals(Facts(), facts));
    }

    [Fact]
    public void TryParse_ReadsBarePlaceholders_WhenRedactionReplacedANumber()
    {
        var source = Input();
        source["card"] = 4111111111111111;
        var text = RunPrompt.BuildUserMessage(source, Facts()).Replace("4111111111111111", "<CARD_1>", StringComparison.Ordinal);

        Assert.True(RunPrompt.TryParse(text, out var input, out _));
        Assert.Equal("<CARD_1>", (string?)input["card"]);
        Assert.Equal("dana@acme.example", (string?)input["email"]);
    }

    [Fact]
    public void BuildUserMessage_AddsReviewerGuidance_AfterTheBlocks()
    {
        var text = RunPrompt.BuildUserMessage(Input(), Facts(), "  Enroll them in the SMB sequence after all.  ");

        Assert.EndsWith("```\n\nReviewer guidance:\nEnroll them in the SMB sequence after all.", text, StringComparison.Ordinal);
        Assert.Equal("Enroll them in the SMB sequence after all.", RunPrompt.ReadGuidance(text));
        Assert.True(RunPrompt.TryParse(text, out var input, out var facts));
        Assert.True(JsonNode.DeepEquals(Input(), input));
        Assert.True(JsonNode.DeepEquals(Facts(), facts));
    }

    [Fact]
    public void TryParse_ReadsNoFacts_WhenTheDecisionBlockIsMissing()
    {
        Assert.True(RunPrompt.TryParse("Trigger input:\n```json\n{\"a\": 1}\n```", out var input, out var facts));
        Assert.Equal(1, (int?)input["a"]);
        Assert.Empty(facts);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Hello, please route this lead.")]
    [InlineData("Trigger input:\n```json\n{\"a\": \n```")]
    [InlineData("Trigger input:\n```json\n[1, 2]\n```")]
    [InlineData("Trigger input:\n```json\n{\"a\": 1}")]
    [InlineData("Trigger input:\n```json\n{\"a\": 1}\n```\n\nDecision results (facts; routes already enforced by the engine):\n```json\nnot json\n```")]
    public void TryParse_Refuses_TextWithoutReadableTriggerInput(string? text)
    {
        Assert.False(RunPrompt.TryParse(text, out var input, out var facts));
        Assert.Null(input);
        Assert.Null(facts);
    }
}
