using System.Text;
using AgentConsole.Engine.Agents;

namespace AgentConsole.Engine.Prompts;

/// <summary>The system prompt a run sends: the version's sections as one Markdown document under the agent's name.</summary>
public static class PromptDocument
{
    public static string Render(Agent agent, PromptSections sections)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(sections);
        var text = new StringBuilder().Append("# ").Append(agent.Name).Append('\n');
        foreach (var (_, heading, body) in sections.InOrder())
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                continue;
            }

            text.Append("\n## ").Append(heading).Append('\n').Append(body.Trim()).Append('\n');
        }

        return text.ToString();
    }
}
