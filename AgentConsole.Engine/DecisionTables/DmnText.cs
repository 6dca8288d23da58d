namespace AgentConsole.Engine.DecisionTables;

/// <summary>The spellings DMN XML and DMN tools use for hit policies, aggregators and typeRefs.</summary>
public static class DmnText
{
    public static string HitPolicyName(HitPolicy policy) => policy switch
    {
        HitPolicy.Unique => "UNIQUE",
        HitPolicy.Any => "ANY",
        HitPolicy.First => "FIRST",
        HitPolicy.Priority => "PRIORITY",
        HitPolicy.Collect => "COLLECT",
        HitPolicy.RuleOrder => "RULE ORDER",
        HitPolicy.OutputOrder => "OUTPUT ORDER",
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    /// <summary>The single-letter code shown in a table's corner: U, A, F, P, C, C+, C&lt;, C&gt;, C#, R, O.</summary>
    public static string HitPolicyCode(HitPolicy policy, CollectAggregator aggregator = CollectAggregator.None) => policy switch
    {
        HitPolicy.Collect => aggregator switch
        {
            CollectAggregator.Sum => "C+",
            CollectAggregator.Min => "C<",
            CollectAggregator.Max => "C>",
            CollectAggregator.Count => "C#",
            _ => "C",
        },
        HitPolicy.RuleOrder => "R",
        HitPolicy.OutputOrder => "O",
        _ => HitPolicyName(policy)[..1],
    };

    public static bool TryParseHitPolicy(string? text, out HitPolicy policy)
    {
        policy = HitPolicy.Unique;
        switch (text?.Trim().ToUpperInvariant().Replace('_', ' '))
        {
            case null or "" or "UNIQUE" or "U":
                return true;
            case "ANY" or "A":
                policy = HitPolicy.Any;
                return true;
            case "FIRST" or "F":
                policy = HitPolicy.First;
                return true;
            case "PRIORITY" or "P":
                policy = HitPolicy.Priority;
                return true;
            case "COLLECT" or "C":
                policy = HitPolicy.Collect;
                return true;
            case "RULE ORDER" or "R":
                policy = HitPolicy.RuleOrder;
                return true;
            case "OUTPUT ORDER" or "O":
                policy = HitPolicy.OutputOrder;
                return true;
            default:
                return false;
        }
    }

    public static string? AggregatorName(CollectAggregator aggregator) => aggregator switch
    {
        CollectAggregator.None => null,
        CollectAggregator.Sum => "SUM",
        CollectAggregator.Min => "MIN",
        CollectAggregator.Max => "MAX",
        CollectAggregator.Count => "COUNT",
        _ => throw new ArgumentOutOfRangeException(nameof(aggregator)),
    };

    public static bool TryParseAggregator(string? text, out CollectAggregator aggregator)
    {
        aggregator = CollectAggregator.None;
        switch (text?.Trim().ToUpperInvariant())
        {
            case null or "":
                return true;
            case "SUM":
                aggregator = CollectAggregator.Sum;
                return true;
            case "MIN":
                aggregator = CollectAggregator.Min;
                return true;
            case "MAX":
                aggregator = CollectAggregator.Max;
                return true;
            case "COUNT":
                aggregator = CollectAggregator.Count;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The DMN 1.3 typeRef for a FEEL type; null means untyped.</summary>
    public static string? TypeRefName(FeelType? type) => type switch
    {
        null => null,
        FeelType.String => "string",
        FeelType.Number => "number",
        FeelType.Boolean => "boolean",
        FeelType.Date => "date",
        FeelType.DateTime => "date and time",
        FeelType.Time => "time",
        FeelType.Duration => "duration",
        FeelType.DaysTimeDuration => "days and time duration",
        FeelType.YearsMonthsDuration => "years and months duration",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>
    /// Reads a built-in typeRef in any of the spellings DMN 1.1–1.5 and common tools use
    /// (<c>feel:number</c>, <c>integer</c>, <c>dateTime</c>, <c>dayTimeDuration</c> ...). Custom item definitions are not resolved here.
    /// </summary>
    public static bool TryParseTypeRef(string? text, out FeelType? type)
    {
        type = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var name = text.Trim();
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && name[..colon] is "feel" or "FEEL" or "xsd" or "xs")
        {
            name = name[(colon + 1)..];
        }

        switch (name.ToLowerInvariant())
        {
            case "any":
                return true;
            case "string":
                type = FeelType.String;
                return true;
            case "number" or "integer" or "int" or "long" or "double" or "decimal" or "float" or "short":
                type = FeelType.Number;
                return true;
            case "boolean" or "bool":
                type = FeelType.Boolean;
                return true;
            case "date":
                type = FeelType.Date;
                return true;
            case "date and time" or "datetime" or "date-time":
                type = FeelType.DateTime;
                return true;
            case "time":
                type = FeelType.Time;
                return true;
            case "duration":
                type = FeelType.Duration;
                return true;
            case "days and time duration" or "daytimeduration" or "days-time-duration":
                type = FeelType.DaysTimeDuration;
                return true;
            case "years and months duration" or "yearmonthduration" or "years-months-duration":
                type = FeelType.YearsMonthsDuration;
                return true;
            default:
                return false;
        }
    }
}
