using System.ComponentModel.DataAnnotations;
using AgentConsole.Engine.Tools.Resilience;

namespace AgentConsole.Engine.Tools;

/// <summary>How tool calls are made: result size, and the resilience of every connector call (per tool overridable).</summary>
public sealed class ToolOptions : IValidatableObject
{
    public const string Section = "AgentConsole:Tools";

    /// <summary>A tool result longer than this (JSON characters) is cut, with a note saying so, before the model sees it.</summary>
    [Range(1_000, 1_000_000)]
    public int MaxResultChars { get; set; } = 16_000;

    /// <summary>
    /// Share of attempts on sandbox connections that fail as a 503 would (0–1; 0 = off), chosen by a hash of the call's
    /// idempotency key and attempt so a rerun injects the same faults. For fault drills and the R2 benchmark; live
    /// connections are never affected.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SandboxFaultRatio { get; set; }

    /// <summary>The transport of the HttpClient HTTP connectors share.</summary>
    public ToolHttpOptions Http { get; set; } = new();

    /// <summary>Defaults for every tool.</summary>
    public ToolResilienceOptions Resilience { get; set; } = ToolResilienceOptions.Defaults();

    /// <summary>Per-tool overrides of <see cref="Resilience"/>, by tool key (only the keys given change).</summary>
    public Dictionary<string, ToolResilienceOptions> PerTool { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The effective settings of one tool.</summary>
    public ToolResilienceOptions For(string toolKey) =>
        PerTool.TryGetValue(toolKey, out var own) ? own.Over(Resilience) : Resilience;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var http = new List<ValidationResult>();
        Validator.TryValidateObject(Http, new ValidationContext(Http), http, validateAllProperties: true);
        foreach (var error in http)
        {
            yield return new ValidationResult($"{Section}:Http: {error.ErrorMessage}", [nameof(Http)]);
        }

        foreach (var error in Resilience.Errors($"{Section}:Resilience"))
        {
            yield return new ValidationResult(error, [nameof(Resilience)]);
        }

        foreach (var (key, own) in PerTool)
        {
            // The effective settings: an override may only be wrong together with the defaults (e.g. a total below the attempt).
            foreach (var error in own.Over(Resilience).Errors($"{Section}:PerTool:{key}"))
            {
                yield return new ValidationResult(error, [nameof(PerTool)]);
            }
        }
    }
}
