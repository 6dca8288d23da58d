namespace AgentConsole.Engine.Prompts;

/// <summary>A prompt version's life: one draft at a time, at most one published, earlier ones retired (and restorable).</summary>
public enum PromptVersionStatus
{
    Draft,
    Published,
    Retired,
}
