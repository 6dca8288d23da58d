using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Runs;

public enum RunStatus
{
    Queued,
    Running,
    WaitingForHuman,
    Succeeded,
    Failed,
    Cancelled,
    StoppedByLimit,

    /// <summary>A reviewer took the case over: a person handled it, and the run ended with their outcome.</summary>
    HandledByHuman,
}

/// <summary>The framework-level limits a run can hit.</summary>
public enum RunLimit
{
    Steps,
    Budget,
    WallClock,
}

/// <summary>Thrown when code asks a run for a transition its state machine does not allow.</summary>
public sealed class InvalidRunTransitionException : InvalidOperationException
{
    public InvalidRunTransitionException()
    {
    }

    public InvalidRunTransitionException(string message)
        : base(message)
    {
    }

    public InvalidRunTransitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidRunTransitionException(RunStatus from, RunStatus to)
        : base($"A run cannot go from {from} to {to}.")
    {
    }
}

/// <summary>
/// One execution of an agent on one trigger input. Its status only changes through the guarded transitions below
/// (as Hangfire's job states do), so a run can never, say, succeed while waiting for a person.
/// </summary>
public sealed class Run
{
    private static readonly Dictionary<RunStatus, RunStatus[]> Allowed = new()
    {
        [RunStatus.Queued] = [RunStatus.Running, RunStatus.Cancelled, RunStatus.Failed],
        [RunStatus.Running] = [RunStatus.WaitingForHuman, RunStatus.Succeeded, RunStatus.Failed, RunStatus.Cancelled, RunStatus.StoppedByLimit],
        [RunStatus.WaitingForHuman] = [RunStatus.Running, RunStatus.Cancelled, RunStatus.Failed, RunStatus.HandledByHuman, RunStatus.Succeeded],
        // A reviewer may grant a stopped run a new allowance; otherwise it stays stopped.
        [RunStatus.StoppedByLimit] = [RunStatus.Running, RunStatus.Cancelled, RunStatus.HandledByHuman],
        [RunStatus.Succeeded] = [],
        [RunStatus.Failed] = [],
        [RunStatus.Cancelled] = [],
        [RunStatus.HandledByHuman] = [],
    };

    private Run()
    {
    }

    public Guid Id { get; private set; }
    public string AgentKey { get; private set; } = "";
    public string AgentName { get; private set; } = "";
    public RunStatus Status { get; private set; }

    /// <summary>The trigger input as received (real values; the model and the audit only see the redacted form).</summary>
    public string InputJson { get; private set; } = "{}";

    /// <summary>Decision results by decision key, the facts the model was given.</summary>
    public string? FactsJson { get; private set; }

    /// <summary>The model provider and model the run used.</summary>
    public string? Provider { get; private set; }
    public string? ModelId { get; private set; }

    public string? Output { get; private set; }

    /// <summary>Why the run failed, stopped, was cancelled or is waiting.</summary>
    public string? Reason { get; private set; }

    public RunLimit? LimitHit { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";

    /// <summary>The trigger that started the run (null for runs started from the API or "Run now").</summary>
    public string? TriggerKey { get; private set; }

    /// <summary>The inbox event the run was started for.</summary>
    public Guid? TriggerEventId { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Model calls so far: the steps the step limit counts.</summary>
    public int ModelCalls { get; private set; }
    public int ToolCalls { get; private set; }
    public long InputTokens { get; private set; }
    public long OutputTokens { get; private set; }
    public decimal CostUsd { get; private set; }

    /// <summary>How many times the run handed a case to a person (escalations raised, limit stops included).</summary>
    public int EscalationCount { get; private set; }

    /// <summary>True when some call's usage was estimated because the provider did not report it.</summary>
    public bool UsageEstimated { get; private set; }

    /// <summary>Time spent executing (waiting for a person does not count against the wall-clock limit).</summary>
    public long ActiveMilliseconds { get; private set; }

    /// <summary>Allowance reviewers granted on top of the agent's limits when resuming a stopped run.</summary>
    public int ExtraSteps { get; private set; }
    public decimal ExtraBudgetUsd { get; private set; }
    public int ExtraSeconds { get; private set; }

    /// <summary>The conversation checkpoint (MEAI messages as JSON), saved after every model turn.</summary>
    public string? ConversationJson { get; private set; }

    /// <summary>The run's redaction placeholders, so a resumed run keeps them stable.</summary>
    public string? RedactionJson { get; private set; }

    public bool CancelRequested { get; private set; }
    public string? CancelRequestedBy { get; private set; }

    /// <summary>
    /// The engine instance (<see cref="EngineInstance.Id"/>) whose executor holds the run, until when. A crashed
    /// executor's lease expires; a dead instance's leases are reclaimed sooner by <see cref="RunRecovery"/>.
    /// </summary>
    public string? LeaseOwner { get; private set; }
    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    /// <summary>
    /// The fencing token: a new id on every acquisition, and a concurrency token, so every write an executor makes
    /// carries <c>WHERE LeaseId = @mine</c>. An executor whose lease was taken over writes nothing more.
    /// </summary>
    public Guid? LeaseId { get; private set; }

    /// <summary>When recovery last enqueued the run; cleared when an executor claims it, so a pending job is not doubled.</summary>
    public DateTimeOffset? RecoveryEnqueuedAt { get; private set; }

    /// <summary>How many times an executor picked the run up.</summary>
    public int Executions { get; private set; }

    public Guid? RerunOf { get; private set; }

    /// <summary>
    /// When run-data retention deleted the raw input, the placeholder map, the conversation and the tool journal;
    /// the redacted timeline, totals, output and escalations remain. A purged run cannot be re-run.
    /// </summary>
    public DateTimeOffset? RawDataPurgedAt { get; private set; }

    /// <summary>Production, or a run an evaluation, a replay or the workbench's "Try it" made (see <see cref="RunKind"/>).</summary>
    public RunKind Kind { get; private set; }

    /// <summary>The agent definition's revision the run ran under.</summary>
    public int? AgentRevision { get; private set; }

    /// <summary>The prompt version the run ran under; null with a number of null: the built-in default prompt.</summary>
    public Guid? PromptVersionId { get; private set; }
    public int? PromptVersionNumber { get; private set; }

    /// <summary>
    /// The decision versions the run ran under, a JSON object of decision key → version number. Set when a production run
    /// first decides; set at creation (pinned) for every other kind, which then evaluates exactly those versions.
    /// </summary>
    public string? DecisionVersionsJson { get; private set; }

    /// <summary>The evaluation (test set or replay) the run belongs to.</summary>
    public Guid? EvaluationId { get; private set; }

    /// <summary>For a replay: the historical run whose recorded tool results answer this run's tool calls.</summary>
    public Guid? ReplayOf { get; private set; }

    public bool IsProduction => Kind == RunKind.Production;

    public bool IsFinished => Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled or RunStatus.HandledByHuman;

    public int MaxSteps(int agentMaxSteps) => agentMaxSteps + ExtraSteps;

    public decimal Budget(decimal agentBudget) => agentBudget + ExtraBudgetUsd;

    public TimeSpan WallClock(int agentSeconds) => TimeSpan.FromSeconds(agentSeconds + ExtraSeconds);

    public static Run Create(string agentKey, string agentName, string inputJson, string createdBy, DateTimeOffset now, Guid? rerunOf = null, RunOrigin? origin = null) => new()
    {
        TriggerKey = origin?.TriggerKey,
        TriggerEventId = origin?.EventId,
        Id = Guid.CreateVersion7(now),
        AgentKey = agentKey,
        AgentName = agentName,
        Status = RunStatus.Queued,
        InputJson = inputJson,
        CreatedAt = now,
        UpdatedAt = now,
        CreatedBy = createdBy,
        RerunOf = rerunOf,
    };

    /// <summary>A non-production run pinned to one configuration: it evaluates exactly these versions, on sandbox connections.</summary>
    public static Run CreatePinned(string agentKey, string agentName, string inputJson, string createdBy, DateTimeOffset now, RunSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (setup.Kind == RunKind.Production)
        {
            throw new ArgumentException("A pinned run is never a production run.", nameof(setup));
        }

        var run = Create(agentKey, agentName, inputJson, createdBy, now);
        run.Kind = setup.Kind;
        run.PromptVersionId = setup.PromptVersionId;
        run.PromptVersionNumber = setup.PromptVersionNumber;
        run.DecisionVersionsJson = setup.DecisionVersionsJson;
        run.EvaluationId = setup.EvaluationId;
        run.ReplayOf = setup.ReplayOf;
        return run;
    }

    /// <summary>What a production run runs under, recorded when it first decides (pinned runs keep what they were given).</summary>
    public void RecordConfiguration(int agentRevision, Guid? promptVersionId, int? promptVersionNumber, string decisionVersionsJson)
    {
        AgentRevision = agentRevision;
        if (Kind == RunKind.Production)
        {
            PromptVersionId = promptVersionId;
            PromptVersionNumber = promptVersionNumber;
            DecisionVersionsJson = decisionVersionsJson;
        }
    }

    public bool CanTransitionTo(RunStatus to) => Allowed[Status].Contains(to);

    private void TransitionTo(RunStatus to, DateTimeOffset now, string? reason)
    {
        if (!CanTransitionTo(to))
        {
            throw new InvalidRunTransitionException(Status, to);
        }

        Status = to;
        UpdatedAt = now;
        if (reason is not null)
        {
            Reason = reason;
        }

        if (IsFinished)
        {
            CompletedAt = now;
            ReleaseLease();
        }
    }

    public void Start(string provider, string? modelId, DateTimeOffset now)
    {
        if (Status != RunStatus.Running)
        {
            TransitionTo(RunStatus.Running, now, null);
        }

        StartedAt ??= now;
        Provider = provider;
        ModelId = modelId;
        Executions++;
    }

    public void WaitForHuman(string reason, DateTimeOffset now)
    {
        TransitionTo(RunStatus.WaitingForHuman, now, reason);
        EscalationCount++;
        ReleaseLease();
    }

    public void StopByLimit(RunLimit limit, string reason, DateTimeOffset now)
    {
        TransitionTo(RunStatus.StoppedByLimit, now, reason);
        EscalationCount++;
        LimitHit = limit;
        ReleaseLease();
    }

    /// <summary>A reviewer let the run go on; a stopped run gets the agent's limits once more on top.</summary>
    public void Resume(DateTimeOffset now, int extraSteps = 0, decimal extraBudgetUsd = 0, int extraSeconds = 0)
    {
        TransitionTo(RunStatus.Running, now, null);
        ExtraSteps += extraSteps;
        ExtraBudgetUsd += extraBudgetUsd;
        ExtraSeconds += extraSeconds;
        LimitHit = null;
        Reason = null;
        ReleaseLease();
    }

    public void Succeed(string? output, DateTimeOffset now)
    {
        Output = output;
        TransitionTo(RunStatus.Succeeded, now, null);
    }

    public void Fail(string reason, DateTimeOffset now) => TransitionTo(RunStatus.Failed, now, reason);

    /// <summary>A person handled the case: the run ends with the reviewer's outcome as its output.</summary>
    public void HandOver(string outcome, string reason, DateTimeOffset now)
    {
        Output = outcome;
        TransitionTo(RunStatus.HandledByHuman, now, reason);
    }

    public void Cancel(string reason, DateTimeOffset now) => TransitionTo(RunStatus.Cancelled, now, reason);

    public void RequestCancel(string by, DateTimeOffset now)
    {
        CancelRequested = true;
        CancelRequestedBy = by;
        UpdatedAt = now;
    }

    public void Checkpoint(string conversationJson, string redactionJson, DateTimeOffset now)
    {
        ConversationJson = conversationJson;
        RedactionJson = redactionJson;
        UpdatedAt = now;
    }

    public void RecordFacts(string factsJson) => FactsJson = factsJson;

    public void RecordModelCall(long inputTokens, long outputTokens, decimal cost, bool estimated)
    {
        ModelCalls++;
        InputTokens += inputTokens;
        OutputTokens += outputTokens;
        CostUsd += cost;
        UsageEstimated |= estimated;
    }

    public void RecordToolCall() => ToolCalls++;

    public void AddActiveTime(TimeSpan elapsed) => ActiveMilliseconds += (long)elapsed.TotalMilliseconds;

    /// <summary>Extends the lease this executor holds; the save it rides on is fenced by <see cref="LeaseId"/>.</summary>
    public void RenewLease(DateTimeOffset until) => LeaseExpiresAt = until;

    private void ReleaseLease()
    {
        LeaseOwner = null;
        LeaseExpiresAt = null;
        LeaseId = null;
    }
}

internal sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.ToTable("Runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.AgentKey).HasMaxLength(64).IsRequired();
        builder.Property(r => r.AgentName).HasMaxLength(100).IsRequired();
        // Status guards concurrent writers: a cancel and an executor cannot both move the run from the same state.
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
        builder.Property(r => r.LimitHit).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Provider).HasMaxLength(100);
        builder.Property(r => r.ModelId).HasMaxLength(200);
        builder.Property(r => r.CreatedBy).HasMaxLength(256);
        builder.Property(r => r.CancelRequestedBy).HasMaxLength(256);
        builder.Property(r => r.LeaseOwner).HasMaxLength(200);
        // The fencing token: the executor's saves only apply while the lease it acquired is still the run's.
        builder.Property(r => r.LeaseId).IsConcurrencyToken();
        builder.Property(r => r.CostUsd).HasPrecision(18, 8);
        builder.Property(r => r.ExtraBudgetUsd).HasPrecision(10, 4);
        builder.HasIndex(r => r.CreatedAt);
        builder.Property(r => r.TriggerKey).HasMaxLength(64);
        builder.HasIndex(r => new { r.TriggerKey, r.CreatedAt });
        builder.HasIndex(r => r.TriggerEventId).IsUnique().HasFilter("\"TriggerEventId\" IS NOT NULL");
        builder.HasIndex(r => new { r.AgentKey, r.CreatedAt });
        builder.HasIndex(r => new { r.Status, r.CreatedAt });
        // Rows from before run kinds existed are production runs.
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16).HasDefaultValue(RunKind.Production).HasSentinel(RunKind.Production);
        builder.HasIndex(r => r.EvaluationId).HasFilter("\"EvaluationId\" IS NOT NULL");
    }
}
