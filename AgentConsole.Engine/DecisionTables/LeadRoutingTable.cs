namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// The practice guide's lead routing table, for seeding and demos. It is deliberately left as the guide writes it:
/// "&lt; 10" and "[11..500]" leave exactly 10 employees uncovered, the gap the editor's analysis should point out.
/// </summary>
public static class LeadRoutingTable
{
    public const string DecisionName = "Lead route";
    public const string Smb = "SMB sequence";
    public const string MidMarket = "Mid-market sequence";
    public const string HumanReview = "Human review";

    public static DecisionTableDefinition Create() => new()
    {
        Id = "lead_route",
        Name = DecisionName,
        TableId = "lead_route_table",
        HitPolicy = HitPolicy.Unique,
        Inputs =
        [
            new DecisionInput { Id = "lead_route_in_employees", ExpressionId = "lead_route_in_employees_expr", Label = "Employees", Expression = "employees", TypeRef = FeelType.Number },
            new DecisionInput { Id = "lead_route_in_industry", ExpressionId = "lead_route_in_industry_expr", Label = "Industry", Expression = "industry", TypeRef = FeelType.String },
        ],
        Outputs =
        [
            new DecisionOutput
            {
                Id = "lead_route_out_route",
                Name = "route",
                Label = "Route",
                TypeRef = FeelType.String,
                OutputValues = ["\"SMB sequence\"", "\"Mid-market sequence\"", "\"Human review\""],
            },
        ],
        Rules =
        [
            Rule("lead_route_smb", "< 10", "\"SMB sequence\"", "Fewer than 10 employees"),
            Rule("lead_route_mid", "[11..500]", "\"Mid-market sequence\"", "11 to 500 employees"),
            Rule("lead_route_review", "> 500", "\"Human review\"", "More than 500 employees"),
        ],
        AnnotationColumns = ["Why"],
    };

    private static DecisionRule Rule(string id, string employees, string route, string why) => new()
    {
        Id = id,
        InputEntries = [employees, "-"],
        OutputEntries = [route],
        Annotations = [why],
    };
}
