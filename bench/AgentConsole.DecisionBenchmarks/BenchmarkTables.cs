using System.Globalization;
using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.DecisionBenchmarks;

/// <summary>
/// 50-rule × 5-input tables with the cell mix business tables have: ranges, comparisons, string lists,
/// booleans, negations and "-". Generated from a fixed seed so every run measures the same tables and inputs.
/// </summary>
public static class BenchmarkTables
{
    private static readonly string[] Segments = ["SMB", "Mid", "Enterprise", "Public", "Partner"];
    private static readonly string[] Regions = ["EU", "US", "APAC", "LATAM"];

    private static DecisionInput[] Inputs() =>
    [
        new() { Id = "amount", Expression = "amount", TypeRef = FeelType.Number },
        new() { Id = "segment", Expression = "segment", TypeRef = FeelType.String },
        new() { Id = "vip", Expression = "vip", TypeRef = FeelType.Boolean },
        new() { Id = "score", Expression = "score", TypeRef = FeelType.Number },
        new() { Id = "region", Expression = "region", TypeRef = FeelType.String },
    ];

    /// <summary>Overlapping rules evaluated top-down; the last rule catches everything.</summary>
    public static DecisionTableDefinition First()
    {
        var random = new Random(42);
        var rules = new List<DecisionRule>();
        for (var r = 0; r < 49; r++)
        {
            var low = random.Next(0, 9000);
            rules.Add(Rule(r,
                Pick(random, $"[{low}..{low + random.Next(200, 3000)}]", $"< {random.Next(500, 9000)}", $">= {random.Next(1000, 9500)}", "-"),
                Pick(random, Quote(Segments[random.Next(5)]), $"{Quote(Segments[random.Next(5)])},{Quote(Segments[random.Next(5)])}", $"not({Quote(Segments[random.Next(5)])})", "-"),
                Pick(random, "true", "false", "-", "-"),
                Pick(random, $"> {random.Next(300, 800)}", $"[{random.Next(300, 500)}..{random.Next(600, 850)})", "-", "-"),
                Pick(random, Quote(Regions[random.Next(4)]), $"{Quote(Regions[random.Next(4)])},{Quote(Regions[random.Next(4)])}", "-", "-"),
                r));
        }

        rules.Add(Rule(49, "-", "-", "-", "-", "-", 49));
        return Table("Benchmark FIRST", HitPolicy.First, rules);
    }

    /// <summary>Disjoint rules (10 amount bands × 5 segments), so UNIQUE never sees two matches and must test every rule.</summary>
    public static DecisionTableDefinition Unique()
    {
        var random = new Random(7);
        var rules = new List<DecisionRule>();
        for (var r = 0; r < 50; r++)
        {
            var band = r / 5;
            rules.Add(Rule(r,
                band == 9 ? ">= 9000" : band == 0 ? "< 1000" : $"[{band * 1000}..{(band + 1) * 1000})",
                Quote(Segments[r % 5]),
                Pick(random, "true", "false", "-"),
                Pick(random, $">= {random.Next(300, 700)}", $"< {random.Next(500, 850)}", $"[300..{random.Next(600, 850)}]", "-"),
                Pick(random, $"{Quote(Regions[random.Next(4)])},{Quote(Regions[random.Next(4)])}", $"not({Quote(Regions[random.Next(4)])})", "-"),
                r));
        }

        return Table("Benchmark UNIQUE", HitPolicy.Unique, rules);
    }

    /// <summary>Inputs as a caller passes them: boxed JSON-ish values in a dictionary.</summary>
    public static Dictionary<string, object?>[] Samples(int count)
    {
        var random = new Random(1234);
        return [.. Enumerable.Range(0, count).Select(_ => new Dictionary<string, object?>
        {
            ["amount"] = (decimal)random.Next(0, 10000),
            ["segment"] = Segments[random.Next(5)],
            ["vip"] = random.Next(2) == 0,
            ["score"] = random.Next(300, 851),
            ["region"] = Regions[random.Next(4)],
        })];
    }

    /// <summary>
    /// The same table with every input read from one record input, <c>Lead</c> (<c>Lead.amount</c>, <c>Lead.segment</c>,
    /// ...), in a model whose item definition <c>tLead</c> types the components as the flat table types its columns.
    /// </summary>
    public static DmnModel Structured(DecisionTableDefinition flat) => new()
    {
        Name = flat.Name + " (structured)",
        InputData = [new InputData { Id = "lead", Name = "Lead", TypeName = "tLead" }],
        ItemDefinitions =
        [
            new ItemDefinition
            {
                Name = "tLead",
                Components = [.. flat.Inputs.Select(i => new ItemDefinition { Name = i.Expression, TypeRef = DmnText.TypeRefName(i.TypeRef) })],
            },
        ],
        Decisions = [flat with { Inputs = [.. flat.Inputs.Select(i => i with { Expression = "Lead." + i.Expression })] }],
    };

    /// <summary>The flat samples as one record each: <c>{"Lead": {"amount": …, "segment": …, …}}</c>.</summary>
    public static Dictionary<string, object?>[] StructuredSamples(Dictionary<string, object?>[] flat) =>
        [.. flat.Select(sample => new Dictionary<string, object?> { ["Lead"] = new Dictionary<string, object?>(sample) })];

    /// <summary>
    /// A two-level graph: the decision <c>Score</c> (UNIQUE, 16 rules over amount, vip and region) feeds <c>Route</c>
    /// (score band × segment, 25 rules, or 26 with a catch-all under FIRST). <c>Route</c> is the top decision.
    /// </summary>
    public static DmnModel Graph(HitPolicy routing)
    {
        var scoring = new List<DecisionRule>();
        string[] amounts = ["< 2000", "[2000..5000)", "[5000..8000)", ">= 8000"];
        for (var a = 0; a < amounts.Length; a++)
        {
            foreach (var vip in new[] { "true", "false" })
            {
                foreach (var region in new[] { "\"EU\",\"US\"", "\"APAC\",\"LATAM\"" })
                {
                    var score = 350 + (a * 120) + (vip == "true" ? 60 : 0) + (region.Contains("EU", StringComparison.Ordinal) ? 20 : 0);
                    scoring.Add(new DecisionRule
                    {
                        Id = $"s{scoring.Count + 1}",
                        InputEntries = [amounts[a], vip, region],
                        OutputEntries = [score.ToString(CultureInfo.InvariantCulture)],
                    });
                }
            }
        }

        var routes = new List<DecisionRule>();
        string[] bands = ["< 450", "[450..550)", "[550..650)", "[650..750)", ">= 750"];
        for (var b = 0; b < bands.Length; b++)
        {
            for (var s = 0; s < Segments.Length; s++)
            {
                routes.Add(new DecisionRule { Id = $"t{routes.Count + 1}", InputEntries = [bands[b], Quote(Segments[s])], OutputEntries = [Quote($"queue {b}-{s}")] });
            }
        }

        if (routing == HitPolicy.First)
        {
            routes.Add(new DecisionRule { Id = "t26", InputEntries = ["-", "-"], OutputEntries = [Quote("review")] });
        }

        return new DmnModel
        {
            Name = "Scoring and routing",
            InputData =
            [
                new InputData { Id = "amount", Name = "amount", TypeRef = FeelType.Number },
                new InputData { Id = "vip", Name = "vip", TypeRef = FeelType.Boolean },
                new InputData { Id = "region", Name = "region", TypeRef = FeelType.String },
                new InputData { Id = "segment", Name = "segment", TypeRef = FeelType.String },
            ],
            Decisions =
            [
                new DecisionTableDefinition
                {
                    Id = "score",
                    Name = "Score",
                    HitPolicy = HitPolicy.Unique,
                    Inputs =
                    [
                        new DecisionInput { Id = "s_amount", Expression = "amount", TypeRef = FeelType.Number },
                        new DecisionInput { Id = "s_vip", Expression = "vip", TypeRef = FeelType.Boolean },
                        new DecisionInput { Id = "s_region", Expression = "region", TypeRef = FeelType.String },
                    ],
                    Outputs = [new DecisionOutput { Id = "s_out", Name = "score", TypeRef = FeelType.Number }],
                    Rules = [.. scoring],
                },
                new DecisionTableDefinition
                {
                    Id = "route",
                    Name = "Route",
                    HitPolicy = routing,
                    Inputs =
                    [
                        new DecisionInput { Id = "r_score", Expression = "Score", TypeRef = FeelType.Number },
                        new DecisionInput { Id = "r_segment", Expression = "segment", TypeRef = FeelType.String },
                    ],
                    Outputs = [new DecisionOutput { Id = "r_out", Name = "route", TypeRef = FeelType.String }],
                    Rules = [.. routes],
                },
            ],
        };
    }

    private static DecisionTableDefinition Table(string name, HitPolicy policy, List<DecisionRule> rules) => new()
    {
        Id = name.Replace(' ', '_'),
        Name = name,
        HitPolicy = policy,
        Inputs = [.. Inputs()],
        Outputs = [new DecisionOutput { Id = "route", Name = "route", TypeRef = FeelType.String }],
        Rules = [.. rules],
    };

    private static DecisionRule Rule(int index, string amount, string segment, string vip, string score, string region, int output) => new()
    {
        Id = $"r{index + 1}",
        InputEntries = [amount, segment, vip, score, region],
        OutputEntries = [Quote(string.Create(CultureInfo.InvariantCulture, $"route {output + 1}"))],
    };

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    private static string Quote(string text) => $"\"{text}\"";
}
