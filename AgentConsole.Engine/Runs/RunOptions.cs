using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Runs;

/// <summary>Bound from <c>AgentConsole:Runs</c>: how the engine executes runs.</summary>
public sealed class RunOptions : IValidatableObject
{
    public const string Section = "AgentConsole:Runs";

    /// <summary>A tool whose action costs more than this to undo (USD) always waits for a person's approval.</summary>
    [Range(0, 1_000_000)]
    public decimal ApprovalThresholdUsd { get; set; } = 100m;

    /// <summary>How long an executor owns a run without saving progress before another may take it over.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Queued runs older than this with no executor are enqueued again by the recovery job.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan RequeueAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// This process's host identity. A new process with the same name takes over the runs its predecessor held at once
    /// (it must be dead: one process per name). Empty: the machine name and the content root.
    /// </summary>
    [MaxLength(150)]
    public string? InstanceName { get; set; }

    /// <summary>How often a running instance records that it is alive.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan InstanceHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An instance not seen for this long is dead: its runs are reclaimed without waiting for their leases.</summary>
    [Range(typeof(TimeSpan), "00:00:03", "00:30:00")]
    public TimeSpan InstanceTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Largest trigger input accepted, in bytes of JSON.</summary>
    [Range(256, 10_485_760)]
    public int MaxInputBytes { get; set; } = 262_144;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A live instance must never look dead: its row has to be renewed several times within the time-out.
        if (InstanceTimeout < InstanceHeartbeatInterval * 3)
        {
            yield return new ValidationResult(
                $"AgentConsole:Runs:InstanceTimeout ({InstanceTimeout}) must be at least three times InstanceHeartbeatInterval ({InstanceHeartbeatInterval}).",
                [nameof(InstanceTimeout)]);
        }
    }
}
