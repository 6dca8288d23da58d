namespace AgentConsole.Engine.Prompts;

/// <summary>How much a lint finding matters: an error blocks nothing by itself but says the prompt is not fit to run.</summary>
public enum LintSeverity
{
    Info,
    Warning,
    Error,
}
