using AgentConsole.Engine.Runs.Redaction;

namespace AgentConsole.Tests.Runs.Redaction;

/// <summary>Console actors stay readable in a run's texts, but only as whole names, never as part of a sensitive value.</summary>
public sealed class RunRedactionActorTests
{
    private static RunRedaction For(params string[] actors) => new(new RedactionVault(new Redactor(new RedactionOptions())), actors);

    [Fact]
    public void Text_RedactsAnEmailAddress_ThatEndsWithAnActorsName_AndKeepsTheActorWhereItStandsAlone()
    {
        var redaction = For("ana@corp.example");

        var text = redaction.Text("Write to diana@corp.example, as ana@corp.example asked. Cancelled by ana@corp.example.");

        Assert.DoesNotContain("diana@corp.example", text, StringComparison.Ordinal);
        Assert.Equal("Write to <EMAIL_1>, as ana@corp.example asked. Cancelled by ana@corp.example.", text);
    }

    [Fact]
    public void Text_RedactsAnEmailAddress_ThatStartsWithAnActorsName()
    {
        var redaction = For("ana@corp.example");

        var text = redaction.Text("Forward it to ana@corp.example.org today.");

        Assert.Equal("Forward it to <EMAIL_1> today.", text);
    }
}
