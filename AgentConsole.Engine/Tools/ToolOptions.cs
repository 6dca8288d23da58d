using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Tools;

/// <summary>How tool calls are made: result size, and the resilience of every connector call (per tool overridable).</summary>
public sealed class ToolOptions
{
    public const string Section = "AgentConsole:Tools";

    /// <summary>A tool result longer than this (JSON characters) is cut, with a note saying so, before the model sees it.</summary>
    [Range(1_000, 1_000_000)]
    public int MaxResultChars { get; set; } = 16_000;

    /// <summary>Defaults for every tool.</summary>
    public ToolResilienceOptions Resilience { get; set; } = new();

    /// <summary>Per-tool overrides of <see cref="Resilience"/>, by tool key (only the keys given change).</summary>
    public Dictionary<string, ToolResilienceOptions> PerTool { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The effective settings of one tool.</summary>
    public ToolResilienceOptions For(string toolKey) =>
        PerTool.TryGetValue(toolKey, out var own) ? own.Over(Resilience) : Resilience;
}
