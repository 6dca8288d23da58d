using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Agents.Documentation;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Escalations;

namespace AgentConsole.Tests.Agents.Documentation;

public sealed class AgentDocumentMarkdownTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Render_EscapesPipesAndLineBreaks_InDecisionTableCells()
    {
        var table = new DecisionTableDefinition
        {
            Name = "Tier",
            HitPolicy = HitPolicy.First,
            Inputs = [new DecisionInput { Label = "Plan | tier", Expression = "plan" }],
            Outputs = [new DecisionOutput { Name = "discount" }],
            Rules = [new DecisionRule { InputEntries = ["\"A|B\",\"C\""], OutputEntries = ["0.1"], Annotations = ["first line\nsecond | line"] }],
            AnnotationColumns = ["Note"],
        };

        var markdown = AgentDocumentMarkdown.Render(Document([new DocumentedDecision("tier", "Tier", 3, true, 4, table)]));

        Assert.Contains("Version: published version 3 (draft version 4 in progress)", markdown, StringComparison.Ordinal);
        Assert.Contains("Hit policy: FIRST (F)", markdown, StringComparison.Ordinal);
        Assert.Contains("| # | Plan \\| tier (input) | discount (output) | Note |\n| --- | --- | --- | --- |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| 1 | \"A\\|B\",\"C\" | 0.1 | first line<br>second \\| line |\n", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SaysADraftOnlyDecisionIsNotEvaluated_AndShowsALiteralExpression()
    {
        var literal = new LiteralExpressionDecision { Name = "Score", Expression = "employees * 2" };

        var markdown = AgentDocumentMarkdown.Render(Document([new DocumentedDecision("score", "Score", 1, false, 1, literal)]));

        Assert.Contains("Version: draft version 1, not published: runs do not evaluate it\n", markdown, StringComparison.Ordinal);
        Assert.Contains("Literal expression: `employees * 2`", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShowsThePublishedPromptVersion_AndFencesAroundBackticksInThePrompt()
    {
        var markdown = AgentDocumentMarkdown.Render(Document([]) with { Prompt = new DocumentedPrompt("Answer with ```json``` blocks.", "v7", "The published version.") });

        Assert.Contains("Version: v7 — The published version.", markdown, StringComparison.Ordinal);
        Assert.Contains("````text\nAnswer with ```json``` blocks.\n````\n", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("unversioned", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SaysSo_WhenAnAgentHasNoTriggersToolsDecisionsOrRoutes()
    {
        var markdown = AgentDocumentMarkdown.Render(Document([]));

        Assert.Contains("No triggers: runs start only from the API", markdown, StringComparison.Ordinal);
        Assert.Contains("No tools granted", markdown, StringComparison.Ordinal);
        Assert.Contains("No decision tables are bound to this agent.", markdown, StringComparison.Ordinal);
        Assert.Contains("None: no decision output escalates on its own.", markdown, StringComparison.Ordinal);
    }

    private static AgentDocument Document(IReadOnlyList<DocumentedDecision> decisions) => new(
        "pricing", "Pricing helper", "Suggests discounts.", AgentStatus.Draft, AutonomyLevel.ReadOnlyResearch,
        AgentDocumentation.AutonomyAllows(AutonomyLevel.ReadOnlyResearch), [], [], 100m, decisions, [], new EscalationPolicy(),
        15, 2m, 300, "offline", new DocumentedPrompt("You are a pricing helper.", null, "Built by the runtime."), 1, At, "owner@example.com", At);
}
