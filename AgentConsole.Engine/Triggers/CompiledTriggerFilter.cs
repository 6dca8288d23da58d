using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Engine.Triggers;

/// <summary>Whether an event passed its trigger's filter, and if not, the condition that stopped it.</summary>
public sealed record FilterOutcome(bool Matched, string? Reason)
{
    public static readonly FilterOutcome Pass = new(true, null);
}

/// <summary>
/// A <see cref="TriggerFilter"/> parsed and compiled once with the decision engine's S-FEEL unary tests, then
/// applied to every event of the trigger. A list value (e.g. tags) passes a condition when one of its items does.
/// </summary>
public sealed class CompiledTriggerFilter
{
    private readonly FilterMatch _match;
    private readonly (TriggerCondition Condition, FeelTest Test)[] _conditions;
    private readonly CompiledTriggerFilter[] _groups;

    private CompiledTriggerFilter(FilterMatch match, (TriggerCondition, FeelTest)[] conditions, CompiledTriggerFilter[] groups)
    {
        _match = match;
        _conditions = conditions;
        _groups = groups;
    }

    /// <summary>A filter that matches everything (no filter set).</summary>
    public static readonly CompiledTriggerFilter MatchAll = new(FilterMatch.All, [], []);

    /// <summary>Compiles a filter; errors are keyed by where they are, e.g. <c>filter.groups[0].conditions[1].test</c>.</summary>
    public static CompiledTriggerFilter? Compile(TriggerFilter? filter, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (filter is null)
        {
            return MatchAll;
        }

        var count = 0;
        var compiled = Compile(filter, "filter", 1, errors, ref count);
        return errors.Count == 0 ? compiled : null;
    }

    public FilterOutcome Evaluate(JsonNode? payload)
    {
        FeelBudget.Reset();
        if (_conditions.Length == 0 && _groups.Length == 0)
        {
            return FilterOutcome.Pass;
        }

        var failures = new List<string>();
        foreach (var (condition, test) in _conditions)
        {
            var value = PayloadPath.Resolve(payload, condition.Path);
            var passed = Passes(test, value);
            if (passed && _match == FilterMatch.Any)
            {
                return FilterOutcome.Pass;
            }

            if (!passed)
            {
                var reason = $"{condition.Path} is {Describe(value)}, which does not pass {condition.Test}";
                if (_match == FilterMatch.All)
                {
                    return new FilterOutcome(false, reason);
                }

                failures.Add(reason);
            }
        }

        foreach (var group in _groups)
        {
            var outcome = group.Evaluate(payload);
            if (outcome.Matched && _match == FilterMatch.Any)
            {
                return FilterOutcome.Pass;
            }

            if (!outcome.Matched)
            {
                if (_match == FilterMatch.All)
                {
                    return outcome;
                }

                failures.Add($"({outcome.Reason})");
            }
        }

        return _match == FilterMatch.All ? FilterOutcome.Pass : new FilterOutcome(false, "none of the alternatives holds: " + string.Join("; ", failures));
    }

    private static CompiledTriggerFilter? Compile(TriggerFilter filter, string at, int depth, Dictionary<string, string[]> errors, ref int count)
    {
        if (depth > TriggerFilter.MaxDepth)
        {
            errors[at] = [$"Filter groups nest at most {TriggerFilter.MaxDepth} deep."];
            return null;
        }

        var conditions = new List<(TriggerCondition, FeelTest)>();
        var list = filter.Conditions ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var here = $"{at}.conditions[{i}]";
            if (++count > TriggerFilter.MaxConditions)
            {
                errors[here] = [$"A filter has at most {TriggerFilter.MaxConditions} conditions."];
                return null;
            }

            var condition = list[i];
            if (condition is null)
            {
                errors[here] = ["A condition needs a path and a test."];
                continue;
            }

            if (PayloadPath.Validate(condition.Path) is { } pathError)
            {
                errors[$"{here}.path"] = [pathError];
            }

            if (CompileTest(condition.Test, out var error) is { } test)
            {
                conditions.Add((condition with { Test = condition.Test.Trim() }, test));
            }
            else
            {
                errors[$"{here}.test"] = [error!];
            }
        }

        var groups = new List<CompiledTriggerFilter>();
        var subGroups = filter.SubGroups;
        for (var i = 0; i < subGroups.Count; i++)
        {
            if (subGroups[i] is null)
            {
                errors[$"{at}.groups[{i}]"] = ["A group needs a match (all or any) and conditions."];
                continue;
            }

            if (Compile(subGroups[i], $"{at}.groups[{i}]", depth + 1, errors, ref count) is { } group)
            {
                groups.Add(group);
            }
        }

        return new CompiledTriggerFilter(filter.Match, [.. conditions], [.. groups]);
    }

    private static FeelTest? CompileTest(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "Give a test, e.g. \"website\" or > 50 (use - to accept any value).";
            return null;
        }

        var parsed = FeelParser.ParseUnaryTests(text);
        if (!parsed.Success)
        {
            error = $"'{text}' is not a valid S-FEEL test: {parsed.Error}.";
            return null;
        }

        var names = new List<string>();
        FeelCompiler.CollectNames(parsed.Value!, names);
        if (names.Count > 0)
        {
            error = $"A filter compares with literal values; '{names[0]}' is a name (put text in quotes: \"{names[0]}\").";
            return null;
        }

        try
        {
            return FeelCompiler.CompileTest(parsed.Value!, _ => throw new InvalidOperationException("Filters have no names."));
        }
        catch (FeelCompileException e)
        {
            // '?' tests, unknown functions: the filter states its test with literal values only.
            error = $"'{text}' cannot be a filter test: {e.Message} Compare with literal values, e.g. > 50 or \"website\".";
            return null;
        }
    }

    private static bool Passes(FeelTest test, JsonNode? value)
    {
        if (value is JsonArray array)
        {
            foreach (var item in array)
            {
                if (item is not JsonArray && Passes(test, item))
                {
                    return true;
                }
            }

            return false;
        }

        return ToFeel(value) is { } feel && test(feel, []) == Tri.True;
    }

    private static FeelValue? ToFeel(JsonNode? node)
    {
        if (node is null)
        {
            return FeelValue.Null;
        }

        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => FeelValue.FromString(value.GetValue<string>()),
            JsonValueKind.True => FeelValue.True,
            JsonValueKind.False => FeelValue.False,
            JsonValueKind.Number => value.TryGetValue<decimal>(out var d)
                ? FeelValue.FromNumber(d)
                : decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? FeelValue.FromNumber(parsed) : null,
            _ => FeelValue.Null,
        };
    }

    private static string Describe(JsonNode? value) => value switch
    {
        null => "missing",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Truncate(v.ToJsonString()),
        _ => Truncate(value.ToJsonString()),
    };

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
