using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;

namespace AgentConsole.Engine.Models;

/// <summary>What the offline model knows on one call, and the sentences it writes from it.</summary>
internal sealed class OfflineContext(JsonObject input, JsonObject facts, OfflineHistory history, bool hasGuidance)
{
    public JsonObject Input { get; } = input;
    public JsonObject Facts { get; } = facts;
    public OfflineHistory History { get; } = history;

    /// <summary>What reviewers wrote when they let the run go on, oldest first.</summary>
    public IReadOnlyList<string> Guidance { get; init; } = [];

    /// <summary>The model's clock, for parameters that need a time (a meeting's start, a task's due date).</summary>
    public DateTimeOffset Now { get; init; }

    /// <summary>The next weekday at 10:00 UTC after <see cref="Now"/>: when the offline model schedules a follow-up.</summary>
    public DateTimeOffset NextWorkingMorning
    {
        get
        {
            var day = Now.UtcDateTime.Date.AddDays(1);
            while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                day = day.AddDays(1);
            }

            return new DateTimeOffset(day.AddHours(10), TimeSpan.Zero);
        }
    }

    /// <summary>Who or what the run is about, e.g. "Dana Lee (Acme GmbH, 42 employees)".</summary>
    public string Subject => field ??= DescribeInput();

    /// <summary>E.g. "lead-routing: Mid-market sequence".</summary>
    public string FactsSummary => Facts.Count == 0
        ? "no decision results"
        : string.Join("; ", Facts.Select(f => $"{f.Key}: {OfflineJson.Display(f.Value)}"));

    /// <summary>A single-output decision about routing reads as a destination in the sentences below.</summary>
    private string? Route => Facts
        .Where(f => f.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String
                    && OfflineJson.Words(f.Key).Exists(w => OfflineJson.Stem(w) == "rout"))
        .Select(f => f.Value!.GetValue<string>())
        .FirstOrDefault();

    /// <summary>The one-sentence text for a parameter such as message, note or summary.</summary>
    public string GeneratedText(string toolName)
    {
        var sentence = Route is { } route ? $"{Subject} was routed to the {route}." : $"{Subject}: {FactsSummary}.";
        if (toolName != BuiltInTools.Escalate)
        {
            return sentence;
        }

        // An escalation says what the agent saw and what it has done so far.
        var done = DoneTools();
        return $"{Subject}: {FactsSummary}. Done so far: {(done.Count == 0 ? "nothing" : string.Join(", ", done))}.";
    }

    public string Summary(IReadOnlyList<string> commonPath)
    {
        var prefix = hasGuidance ? "Following the reviewer's guidance: " : "";
        if (commonPath.Count == 0)
        {
            return $"{prefix}Finished for {Subject} ({FactsSummary}); there were no tools to call.";
        }

        var tools = string.Join(", ", commonPath);
        return Route is { } route
            ? $"{prefix}Routed {Subject} to the {route}: {tools} done."
            : $"{prefix}Finished for {Subject} ({FactsSummary}): {tools} done.";
    }

    private List<string> DoneTools() => History.Calls
        .Where(c => c.Outcome == ToolOutcome.Succeeded && c.Name != BuiltInTools.Escalate)
        .Select(c => c.Name)
        .Distinct()
        .ToList();

    private string DescribeInput()
    {
        var name = Find("name", "fullname", "contactname", "leadname", "customername", "contact")
                   ?? JoinNonEmpty(" ", Find("firstname"), Find("lastname"));
        var company = Find("company", "companyname", "organization", "organisation", "account", "accountname");
        var employees = Find("employees", "employeecount", "numberofemployees", "headcount", "companysize");

        var head = name ?? company;
        var details = new List<string>();
        if (name is not null && company is not null)
        {
            details.Add(company);
        }

        if (employees is not null)
        {
            details.Add($"{employees} employees");
        }

        if (head is null)
        {
            if (employees is not null)
            {
                return $"a company with {employees} employees";
            }

            var shown = Input.Where(p => p.Value is JsonValue).Take(3).Select(p => $"{p.Key} {OfflineJson.Display(p.Value)}").ToList();
            return shown.Count == 0 ? "the trigger input" : $"the input ({string.Join(", ", shown)})";
        }

        return details.Count == 0 ? head : $"{head} ({string.Join(", ", details)})";
    }

    private string? Find(params string[] names)
    {
        foreach (var (key, value) in Input)
        {
            if (value is JsonValue && Array.IndexOf(names, OfflineJson.NormalizeName(key)) >= 0
                && OfflineJson.Display(value) is { Length: > 0 } text)
            {
                return text;
            }
        }

        return null;
    }

    private static string? JoinNonEmpty(string separator, params string?[] parts)
    {
        var present = parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return present.Count == 0 ? null : string.Join(separator, present);
    }
}
