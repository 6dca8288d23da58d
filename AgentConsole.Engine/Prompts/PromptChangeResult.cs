using AgentConsole.Engine.Evaluations;

namespace AgentConsole.Engine.Prompts;

/// <summary>What a change to a prompt version came to; on failure a message the person who asked can act on.</summary>
public sealed record PromptChangeResult(PromptChangeOutcome Outcome, string? Message = null, PromptVersion? Version = null)
{
    /// <summary>The publish gate's verdict, when the change was a publish.</summary>
    public PublishGateResult? Gate { get; init; }

    /// <summary>The fields that made the change <see cref="PromptChangeOutcome.Invalid"/>, keyed by section ("sections.role").</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; init; } = new Dictionary<string, string[]>();

    public bool Succeeded => Outcome == PromptChangeOutcome.Done;
}
