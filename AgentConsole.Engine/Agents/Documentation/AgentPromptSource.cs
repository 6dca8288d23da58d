using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Prompts;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Agents.Documentation;

/// <summary>
/// The seam where agent documentation reads the prompt: the published prompt version production runs send, or the
/// built-in default while the agent has none.
/// </summary>
public sealed class AgentPromptSource(IDbContextFactory<AgentConsoleDbContext> dbFactory)
{
    public async ValueTask<DocumentedPrompt> CurrentAsync(Agent agent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var published = await SystemPrompts.PublishedAsync(db, agent.Key, ct);
        return published is null
            ? new DocumentedPrompt(SystemPrompts.Default(agent), Version: null,
                "Built by the runtime from the agent's name, purpose and escalation policy; no prompt version is published yet.")
            : new DocumentedPrompt(SystemPrompts.For(agent, published), $"v{published.Number}",
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Prompt v{published.Number}, published {published.PublishedAt:yyyy-MM-dd HH:mm} UTC by {published.PublishedBy}."));
    }
}
