using System.Globalization;
using System.Text;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Tools;

namespace AgentConsole.Engine.Agents.Documentation;

/// <summary>Renders an <see cref="AgentDocument"/> as Markdown (GitHub-flavoured tables), the format handed over with an agent.</summary>
public static class AgentDocumentMarkdown
{
    public static string Render(AgentDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var md = new StringBuilder();
        md.Append("# ").Append(Inline(doc.Name)).Append(" — agent documentation\n\n");
        md.Append(Inv($"Key `{doc.Key}` · revision {doc.Revision} · updated {doc.UpdatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {Inline(doc.UpdatedBy)} · generated {doc.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC\n\n"));
        Scope(md, doc);
        Tools(md, doc);
        Decisions(md, doc);
        Escalation(md, doc);
        Limits(md, doc);
        Prompt(md, doc.Prompt);
        if (doc.Scorecard is { } scorecard)
        {
            Scorecard(md, scorecard);
        }

        return md.ToString();
    }

    private static void Scope(StringBuilder md, AgentDocument doc)
    {
        md.Append("## Scope\n\n");
        md.Append("- **Status:** ").Append(doc.Status).Append('\n');
        md.Append("- **Autonomy level:** ").Append(AgentRules.Describe(doc.AutonomyLevel)).Append(" — ").Append(doc.AutonomyAllows).Append('\n');
        md.Append("\n**Purpose.** ").Append(string.IsNullOrWhiteSpace(doc.Purpose) ? "_Not described._" : doc.Purpose.Trim()).Append("\n\n");
        md.Append("### Triggers\n\n");
        if (doc.Triggers.Count == 0)
        {
            md.Append("No triggers: runs start only from the API or “Run now”.\n\n");
            return;
        }

        Table(md, ["Trigger", "Key", "Kind", "Enabled", "Starts a run when"],
            doc.Triggers.Select(t => new[] { t.Name, $"`{t.Key}`", t.Kind.ToString(), t.Enabled ? "yes" : "no", t.Filter ?? "every event" }));
    }

    private static void Tools(StringBuilder md, AgentDocument doc)
    {
        md.Append("## Tools\n\n");
        md.Append(Inv($"The engine, not the prompt, decides which calls wait for a person: an action that cannot be undone or costs more than ${doc.ApprovalThresholdUsd:0.##} to undo is never autonomous, nor is an action above the autonomy level or one the escalation policy lists.\n\n"));
        if (doc.Tools.Count == 0)
        {
            md.Append("No tools granted: the agent can only answer and escalate.\n\n");
            return;
        }

        Table(md, ["Tool", "Key", "Scope", "Access", "Reach", "Reversible", "Cost to undo", "Needs approval"],
            doc.Tools.Select(t => t.Available
                ? new[]
                {
                    t.Title, $"`{t.Key}`", Lower(t.Scope), Lower(t.Access), Lower(t.Reach), t.Reversible ? "yes" : "no",
                    Inv($"${t.CostToUndoUsd:0.##}"), t.ApprovalReason is null ? "no" : $"yes: {t.ApprovalReason}",
                }
                : [t.Key, $"`{t.Key}`", Lower(t.Scope), "—", "—", "—", "—", t.ApprovalReason ?? ""]));
    }

    private static void Decisions(StringBuilder md, AgentDocument doc)
    {
        md.Append("## Decision tables\n\n");
        if (doc.Decisions.Count == 0)
        {
            md.Append("No decision tables are bound to this agent.\n\n");
        }

        foreach (var decision in doc.Decisions)
        {
            md.Append("### ").Append(Inline(decision.Name)).Append(" (`").Append(decision.Key).Append("`)\n\n");
            var version = decision.Version is not { } number ? "no version"
                : decision.Published ? Inv($"published version {number}") : Inv($"draft version {number}, not published: runs do not evaluate it");
            md.Append("Version: ").Append(version);
            if (decision.Published && decision.DraftVersion is { } draft)
            {
                md.Append(Inv($" (draft version {draft} in progress)"));
            }

            md.Append("\n\n");
            switch (decision.Definition)
            {
                case DecisionTableDefinition table:
                    DecisionTable(md, table);
                    break;
                case LiteralExpressionDecision literal:
                    md.Append("Literal expression: `").Append(literal.Expression.Replace('`', '\'')).Append("`\n\n");
                    break;
            }
        }

        md.Append("### Engine routes\n\n");
        if (doc.EngineRoutes.Count == 0)
        {
            md.Append("None: no decision output escalates on its own.\n\n");
            return;
        }

        foreach (var route in doc.EngineRoutes)
        {
            md.Append("- When `").Append(route.Decision).Append("` gives ").Append(route.Output is null ? "" : $"{Inline(route.Output)} = ")
                .Append('“').Append(Inline(route.Value)).Append("” the engine escalates the case to a person before the model is asked.\n");
        }

        md.Append('\n');
    }

    private static void DecisionTable(StringBuilder md, DecisionTableDefinition table)
    {
        var policy = DmnText.HitPolicyName(table.HitPolicy);
        var aggregator = table.HitPolicy == HitPolicy.Collect ? DmnText.AggregatorName(table.Aggregator) : null;
        md.Append("Hit policy: ").Append(policy).Append(aggregator is null ? "" : $" {aggregator}")
            .Append(" (").Append(DmnText.HitPolicyCode(table.HitPolicy, table.Aggregator)).Append(")\n\n");
        var headers = new List<string> { "#" };
        headers.AddRange(table.Inputs.Select(i => $"{i.DisplayName} (input)"));
        headers.AddRange(table.Outputs.Select(o => $"{(o.DisplayName.Length == 0 ? "result" : o.DisplayName)} (output)"));
        headers.AddRange(table.AnnotationColumns);
        var rows = table.Rules.Select((rule, i) =>
        {
            var cells = new List<string> { (i + 1).ToString(CultureInfo.InvariantCulture) };
            cells.AddRange(Cells(rule.InputEntries, table.Inputs.Count));
            cells.AddRange(Cells(rule.OutputEntries, table.Outputs.Count));
            cells.AddRange(Cells(rule.Annotations, table.AnnotationColumns.Count));
            return cells.ToArray();
        });
        Table(md, headers, rows);
    }

    private static IEnumerable<string> Cells(EquatableArray<string> entries, int count) =>
        Enumerable.Range(0, count).Select(i => i < entries.Count ? entries[i] : "");

    private static void Escalation(StringBuilder md, AgentDocument doc)
    {
        var policy = doc.Escalation;
        md.Append("## Escalation logic\n\n");
        md.Append("What hands a case to a person:\n\n");
        md.Append(Inv($"- Always (the engine's rule): an action that cannot be undone or costs more than ${doc.ApprovalThresholdUsd:0.##} to undo, or one above the autonomy level, waits for approval.\n"));
        md.Append("- Decision outputs the engine routes to a person: ")
            .Append(doc.EngineRoutes.Count == 0 ? "none" : string.Join("; ", doc.EngineRoutes.Select(r => $"`{r.Decision}` = “{Inline(r.Value)}”"))).Append('\n');
        md.Append("- Tools whose every call needs approval: ")
            .Append(policy.ApprovalTools.Count == 0 ? "none" : string.Join(", ", policy.ApprovalTools.Select(t => $"`{t}`"))).Append('\n');
        md.Append("- A tool that keeps failing after its retries: ").Append(policy.EscalateToolFailures ? "escalates" : "fails the run").Append('\n');
        md.Append("- A step, budget or wall-clock limit: ").Append(policy.EscalateLimits ? Inv($"escalates (reviewers may grant up to {policy.MaxLimitGrants} more allowances)") : "fails the run").Append('\n');
        md.Append("- The agent asking for a person (escalate tool): ").Append(policy.AllowAgentRequests ? "allowed" : "not offered").Append('\n');
        md.Append("- A guardrail violation whose rule asks for a person: ").Append(policy.EscalateGuardrailViolations ? "escalates" : "fails the run").Append('\n');
        md.Append("- Low reported confidence: ").Append(policy.LowConfidenceBelow is { } below ? Inv($"escalates below {below:0.##}") : "not checked").Append("\n\n");
        md.Append("Who decides and how fast:\n\n");
        md.Append("- **Reviewers:** ").Append(policy.ReviewerRoles.Count == 0 ? "no role" : string.Join(", ", policy.ReviewerRoles))
            .Append(policy.Reviewers.Count == 0 ? "" : $"; named: {string.Join(", ", policy.Reviewers)}").Append(" (Admins always may)\n");
        md.Append("- **SLA:** ").Append(Minutes(policy.SlaMinutes))
            .Append(policy.ReminderMinutesBefore > 0 ? $", reminder {Minutes(policy.ReminderMinutesBefore)} before it runs out" : ", no reminder").Append('\n');
        md.Append("- **When nobody decides in time:** ").Append(DefaultAction(policy.DefaultAction)).Append('\n');
        md.Append("- **Channels:** ").Append(policy.Channels.Count == 0 ? "every enabled notification channel" : string.Join(", ", policy.Channels.Select(c => $"`{c}`"))).Append('\n');
        md.Append("- **Four eyes:** ").Append(policy.FourEyes ? "on — whoever started a run cannot approve its actions" : "off").Append("\n\n");
    }

    private static void Limits(StringBuilder md, AgentDocument doc)
    {
        md.Append("## Limits\n\n");
        md.Append(Inv($"- **Steps per run:** {doc.MaxSteps}\n"));
        md.Append(Inv($"- **Budget per run:** ${doc.BudgetPerRunUsd:0.00}\n"));
        md.Append("- **Wall clock per run:** ").Append(Seconds(doc.WallClockLimitSeconds)).Append('\n');
        md.Append("- **Model:** ").Append(Inline(doc.Model)).Append('\n');
        md.Append("\nHitting a limit stops the run; ").Append(doc.Escalation.EscalateLimits ? "it escalates with its context." : "it fails with the limit as its reason.").Append("\n\n");
    }

    private static void Prompt(StringBuilder md, DocumentedPrompt prompt)
    {
        md.Append("## Prompt\n\n");
        md.Append("Version: ").Append(prompt.Version is { } version ? Inline(version) : "**unversioned**").Append(" — ").Append(prompt.Source).Append("\n\n");
        var fence = new string('`', Math.Max(3, LongestRun(prompt.Text, '`') + 1));
        md.Append(fence).Append("text\n").Append(prompt.Text.TrimEnd()).Append('\n').Append(fence).Append("\n\n");
    }

    private static void Scorecard(StringBuilder md, Scoping.AgentScorecard card)
    {
        md.Append("## Scoping and pilot scorecard\n\n");
        if (card.Baseline is { } b)
        {
            md.Append("Manual baseline:\n\n");
            md.Append(Inv($"- **Loaded hourly rate:** ${b.HourlyRateUsd:0.00}\n"));
            md.Append(Inv($"- **Hours per week today:** {b.HoursPerWeek:0.##}\n"));
            md.Append(Inv($"- **Expected weekly volume:** {b.WeeklyVolume} cases\n"));
            md.Append(Inv($"- **Manual minutes per case:** {b.ManualMinutesPerCase:0.##}{(b.MinutesDerived ? " (derived: hours × 60 / volume)" : "")}\n"));
            md.Append(Inv($"- **Review minutes per escalation:** {b.ReviewMinutesPerEscalation:0.##}\n"));
            md.Append("- **Annual manual cost:** ").Append(Scoping.PilotEvaluation.Usd(b.AnnualManualCostUsd)).Append(" (rate × hours × 50 weeks) — ").Append(b.FitAdvice).Append('\n');
            if (card.Scoping?.Notes is { } notes)
            {
                md.Append("- **Notes:** ").Append(Inline(notes)).Append('\n');
            }

            md.Append('\n');
        }

        var pilot = card.Pilot;
        md.Append("### Pilot").Append(pilot.PilotStart is { } start ? Inv($" ({Scoping.PilotEvaluation.PilotDays} days from {start:yyyy-MM-dd})") : "").Append("\n\n");
        md.Append("**Verdict:** ").Append(pilot.Headline).Append("\n\n");
        foreach (var reason in pilot.Reasons)
        {
            md.Append("- ").Append(reason).Append('\n');
        }

        md.Append('\n');
        if (pilot.Figures is { Runs: > 0 } f)
        {
            Table(md, ["Measure", "Pilot", "Against"],
            [
                ["Runs", Inv($"{f.Runs} ({f.Escalated} escalated, {f.Errors} errors)"), ""],
                ["Escalation rate", Scoping.PilotEvaluation.Percent(f.EscalationRate ?? 0), "healthy 5–15 %, redesign over 30 %"],
                ["Error rate", Scoping.PilotEvaluation.Percent(f.ErrorRate ?? 0), "at most 5 %"],
                ["Cost per run", Scoping.PilotEvaluation.Usd(f.CostPerRun ?? 0), $"{Scoping.PilotEvaluation.Usd(pilot.ManualCostPerCaseUsd ?? 0)} per case by hand"],
                ["Time saved", Inv($"{pilot.TimeSavedHours:0.#} h"), Inv($"{pilot.CasesHandled} cases handled")],
                ["Annualised saving", Scoping.PilotEvaluation.Usd(pilot.AnnualisedSavingUsd ?? 0), "net of run costs, 50 weeks"],
            ]);
        }
    }

    /// <summary>A Markdown table; cells are escaped so a <c>|</c> or a line break in a value cannot break the row.</summary>
    internal static void Table(StringBuilder md, IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        md.Append("| ").Append(string.Join(" | ", headers.Select(Cell))).Append(" |\n");
        md.Append('|').Append(string.Concat(headers.Select(_ => " --- |"))).Append('\n');
        foreach (var row in rows)
        {
            md.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
        }

        md.Append('\n');
    }

    /// <summary>Escapes a table cell: <c>|</c> becomes <c>\|</c>, line breaks become <c>&lt;br&gt;</c>; an empty cell stays empty.</summary>
    public static string Cell(string? text) =>
        (text ?? "").Trim().Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\r\n", "<br>", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal);

    private static string Inline(string text) => text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static int LongestRun(string text, char c)
    {
        int longest = 0, current = 0;
        foreach (var ch in text)
        {
            current = ch == c ? current + 1 : 0;
            longest = Math.Max(longest, current);
        }

        return longest;
    }

    public static string DefaultAction(EscalationDefaultAction action) => action switch
    {
        EscalationDefaultAction.Hold => "hold — the case stays open for another SLA period and reviewers are notified again",
        EscalationDefaultAction.Reject => "reject — a held action is declined, anything else ends the run",
        EscalationDefaultAction.CancelRun => "cancel the run",
        EscalationDefaultAction.ApproveIfReversible => "approve a held action only when it is reversible and within the approval threshold; otherwise hold",
        _ => action.ToString(),
    };

    public static string Minutes(int minutes) =>
        minutes % 1440 == 0 ? Inv($"{minutes / 1440} d") : minutes % 60 == 0 ? Inv($"{minutes / 60} h") : Inv($"{minutes} min");

    public static string Seconds(int seconds) =>
        seconds % 3600 == 0 ? Inv($"{seconds / 3600} h") : seconds % 60 == 0 ? Inv($"{seconds / 60} min") : Inv($"{seconds} s");

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
