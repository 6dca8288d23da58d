namespace AgentConsole.Engine.Agents.Documentation;

/// <summary>
/// The seam where agent documentation reads the prompt. Today the runtime builds the system prompt from the agent's
/// definition (<see cref="Runs.RunExecutor.SystemPrompt"/>) and nothing is versioned; the prompt workbench (issue 15)
/// replaces the body of <see cref="CurrentAsync"/> with the agent's published version and its number.
/// </summary>
public sealed class AgentPromptSource
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The seam issue 15 fills with a read of the published prompt version, which needs the instance's services.")]
    public ValueTask<DocumentedPrompt> CurrentAsync(Agent agent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ct.ThrowIfCancellationRequested();
        return ValueTask.FromResult(new DocumentedPrompt(
            Prompts.SystemPrompts.Default(agent),
            Version: null,
            "Built by the runtime from the agent's name, purpose and escalation policy; prompts are not versioned yet."));
    }
}
