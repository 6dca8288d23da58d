using System.Xml.Linq;
using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Tests.DecisionTables;

public sealed class DmnXmlTests
{
    private static readonly XNamespace Dmn13 = DmnXml.Dmn13Namespace;

    private static string TckModel(string folder) =>
        File.ReadAllText(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "DecisionTables", "Tck", folder), "*.dmn").Single());

    public static TheoryData<string> TckFolders() =>
        [.. Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "DecisionTables", "Tck")).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    private static string Definitions(string ns, string body) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="{ns}" id="defs" name="Sample" namespace="http://example.com/dmn">
        {body}
        </definitions>
        """;

    private const string SimpleTable = """
          <decision id="d1" name="Discount">
            <decisionTable id="t1" hitPolicy="COLLECT" aggregation="SUM">
              <input id="i1" label="Customer"><inputExpression id="e1" typeRef="string"><text>customer</text></inputExpression></input>
              <input id="i2" label="Order size"><inputExpression id="e2" typeRef="integer"><text>orderSize</text></inputExpression></input>
              <output id="o1" name="discount" typeRef="double"/>
              <rule id="r1"><inputEntry id="r1i1"><text>"Business"</text></inputEntry><inputEntry id="r1i2"><text>&lt; 10</text></inputEntry><outputEntry id="r1o1"><text>0.1</text></outputEntry></rule>
              <rule id="r2"><inputEntry id="r2i1"><text>-</text></inputEntry><inputEntry id="r2i2"><text>&gt;= 5</text></inputEntry><outputEntry id="r2o1"><text>0.05</text></outputEntry></rule>
            </decisionTable>
          </decision>
        """;

    [Theory]
    [InlineData("http://www.omg.org/spec/DMN/20151101/dmn.xsd", "1.1")]
    [InlineData("http://www.omg.org/spec/DMN/20180521/MODEL/", "1.2")]
    [InlineData("https://www.omg.org/spec/DMN/20191111/MODEL/", "1.3")]
    [InlineData("https://www.omg.org/spec/DMN/20211108/MODEL/", "1.4")]
    [InlineData("https://www.omg.org/spec/DMN/20230324/MODEL/", "1.5")]
    public void Import_ReadsEveryDmnVersion_AndTheTableEvaluates(string ns, string version)
    {
        var import = DmnXml.Import(Definitions(ns, SimpleTable));

        Assert.True(import.Success, string.Join("\n", import.Issues));
        Assert.Equal(version, import.DmnVersion);
        var table = Assert.IsType<DecisionTableDefinition>(Assert.Single(import.Model!.Decisions));
        Assert.Equal((HitPolicy.Collect, CollectAggregator.Sum), (table.HitPolicy, table.Aggregator));
        Assert.Equal(FeelType.Number, table.Inputs[1].TypeRef);
        var compiled = CompiledDecisionTable.Compile(table).GetValueOrThrow();
        Assert.Equal(0.15m, compiled.Evaluate(new Dictionary<string, object?> { ["customer"] = "Business", ["orderSize"] = 7 }).Value);
    }

    [Fact]
    public void Import_ReadsTckModel_WithOutputsDefaultsAndValues()
    {
        var import = DmnXml.Import(TckModel("0108-first-hitpolicy"));

        var table = Assert.IsType<DecisionTableDefinition>(Assert.Single(import.Model!.Decisions));
        Assert.Equal("Approval", table.Name);
        Assert.Equal(HitPolicy.First, table.HitPolicy);
        Assert.Equal(["\"Approved\"", "\"Declined\""], table.Outputs[0].OutputValues);
        Assert.Equal("\"Declined\"", table.Outputs[0].DefaultOutputEntry);
        Assert.Equal(["Status", "Rate"], table.Outputs.Select(o => o.Name));
        Assert.Equal(">=18", table.Rules[0].InputEntries[0]);
        Assert.Equal("_ca85854c-27a3-4001-b2ac-23a164ca5940", table.Rules[0].Id);
        Assert.Equal(3, import.Model.InputData.Count);
        Assert.Equal(FeelType.Boolean, import.Model.InputData[2].TypeRef);
    }

    [Fact]
    public void Import_ReportsLineAndColumn_ForMalformedXml()
    {
        var import = DmnXml.Import("<definitions xmlns=\"https://www.omg.org/spec/DMN/20191111/MODEL/\">\n  <decision name=\"x\">\n</definitions>");

        Assert.Null(import.Model);
        var error = Assert.Single(import.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("not well-formed", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Column);
    }

    [Fact]
    public void Import_RejectsUnknownNamespace_Clearly()
    {
        var import = DmnXml.Import(Definitions("http://www.omg.org/spec/DMN/20110101/dmn.xsd", SimpleTable));

        Assert.Null(import.Model);
        var error = Assert.Single(import.Errors);
        Assert.Contains("http://www.omg.org/spec/DMN/20110101/dmn.xsd", error.Message, StringComparison.Ordinal);
        Assert.Contains("DMN 1.1–1.5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_ReportsBusinessKnowledgeModels_AndLogicWithoutFeelForm_ByName()
    {
        var body = SimpleTable + """
              <businessKnowledgeModel id="bkm1" name="Score function"/>
              <decision id="d2" name="Eligibility">
                <knowledgeRequirement id="kr1"><requiredKnowledge href="#bkm1"/></knowledgeRequirement>
                <invocation id="inv1"/>
              </decision>
              <decision id="d3" name="Summary"><context id="c1"><contextEntry><variable name="x"/>
                <decisionTable id="ct1"><input id="ci1"><inputExpression id="ce1"><text>a</text></inputExpression></input><output id="co1"/></decisionTable>
              </contextEntry></context></decision>
              <decision id="d4" name="Empty"/>
              <decisionService id="ds1" name="Service"/>
            """;

        var import = DmnXml.Import(Definitions(DmnXml.Dmn13Namespace, body));

        Assert.False(import.Success);
        Assert.Equal(["Discount"], import.Model!.Decisions.Select(d => d.Name));
        Assert.Contains(import.Errors, e => e.Element == "businessKnowledgeModel" && e.Message.Contains("'Score function'", StringComparison.Ordinal));
        Assert.Contains(import.Errors, e => e.Element == "invocation" && e.Message.Contains("'Eligibility'", StringComparison.Ordinal));
        Assert.Contains(import.Errors, e => e.Element == "decisionTable" && e.Message.Contains("'Summary'", StringComparison.Ordinal)
            && e.Message.Contains("a decision table", StringComparison.Ordinal) && e.Line is > 0);
        Assert.Contains(import.Warnings, w => w.Message.Contains("'Empty' has no decision logic", StringComparison.Ordinal));
        Assert.Contains(import.Warnings, w => w.Element == "decisionService");
    }

    [Fact]
    public void Import_ResolvesItemDefinitions_ForTypesAndAllowedValues()
    {
        var body = """
              <itemDefinition name="tRisk"><typeRef>string</typeRef><allowedValues><text>"Low","High"</text></allowedValues></itemDefinition>
              <itemDefinition name="tAddress"><itemComponent name="street"><typeRef>string</typeRef></itemComponent></itemDefinition>
              <inputData id="in1" name="Risk"><variable name="Risk" typeRef="tRisk"/></inputData>
              <inputData id="in2" name="Address"><variable name="Address" typeRef="tAddress"/></inputData>
              <inputData id="in3" name="Mystery"><variable name="Mystery" typeRef="tNowhere"/></inputData>
            """;

        var import = DmnXml.Import(Definitions(DmnXml.Dmn13Namespace, body));

        Assert.Equal(new InputData { Id = "in1", Name = "Risk", TypeRef = FeelType.String, AllowedValues = "\"Low\",\"High\"" }, import.Model!.InputData[0]);
        Assert.Equal(new InputData { Id = "in2", Name = "Address", TypeName = "tAddress" }, import.Model.InputData[1]);
        var unknown = Assert.Single(import.Errors);
        Assert.Equal("The typeRef 'tNowhere' of input data 'Mystery' names no item definition of the model and no FEEL type.", unknown.Message);
        Assert.Equal(("inputData", 7), (unknown.Element, unknown.Line));
    }

    [Fact]
    public void Import_ReadsLiteralExpressionDecisions()
    {
        var body = """
              <inputData id="in1" name="Monthly Fee"><variable name="Monthly Fee" typeRef="number"/></inputData>
              <decision id="d1" name="Yearly Fee"><variable name="Yearly Fee" typeRef="number"/>
                <informationRequirement id="ir1"><requiredInput href="#in1"/></informationRequirement>
                <literalExpression id="le1"><text>Monthly Fee * 12</text></literalExpression></decision>
            """;

        var import = DmnXml.Import(Definitions(DmnXml.Dmn13Namespace, body));
        var model = CompiledDmnModel.Compile(import.Model!).GetValueOrThrow();

        Assert.Equal(1200m, model.Evaluate("Yearly Fee", new Dictionary<string, object?> { ["Monthly Fee"] = 100 }).Value);
        Assert.Equal(FeelType.Number, ((LiteralExpressionDecision)import.Model!.Decisions[0]).TypeRef);
    }

    [Theory]
    [MemberData(nameof(TckFolders))]
    public void ExportThenImport_YieldsAnEqualModel(string folder)
    {
        var first = DmnXml.Import(TckModel(folder)).Model!;

        var exported = DmnXml.Export(first);
        var second = DmnXml.Import(exported);

        Assert.True(second.Success, string.Join("\n", second.Issues));
        Assert.Equal("1.3", second.DmnVersion);
        Assert.Equal(first, second.Model);
    }

    [Fact]
    public void Export_RoundTripsTheLeadRoutingModel_WithAnnotationsAndAllowedValues()
    {
        var model = new DmnModel
        {
            Id = "lead_routing",
            Name = "Lead routing",
            Namespace = "http://agentconsole/dmn/lead-routing",
            InputData =
            [
                new InputData { Id = "in_employees", Name = "employees", TypeRef = FeelType.Number },
                new InputData { Id = "in_industry", Name = "industry", TypeRef = FeelType.String, AllowedValues = "\"Retail\",\"Software\"" },
            ],
            Decisions =
            [
                LeadRoutingTable.Create() with { Description = "Routes inbound leads." },
                new LiteralExpressionDecision { Id = "lit", Name = "Is large", Expression = "employees > 500", ExpressionId = "lit_expr", TypeRef = FeelType.Boolean },
            ],
        };

        var reimported = DmnXml.Import(DmnXml.Export(model));

        Assert.True(reimported.Success, string.Join("\n", reimported.Issues));
        Assert.Equal(model, reimported.Model);
    }

    [Fact]
    public void Export_WritesDmn13_ThatCamundaModelerOpens()
    {
        var model = new DmnModel { Name = "Lead routing", InputData = [new InputData { Name = "employees", TypeRef = FeelType.Number }], Decisions = [LeadRoutingTable.Create() with { Rules = [.. LeadRoutingTable.Create().Rules.Select(r => r with { Id = "" })] }] };

        var xml = DmnXml.Export(model);
        var document = XDocument.Parse(xml);

        var root = document.Root!;
        Assert.Equal(Dmn13 + "definitions", root.Name);
        Assert.False(string.IsNullOrEmpty((string?)root.Attribute("id")));
        Assert.False(string.IsNullOrEmpty((string?)root.Attribute("namespace")));
        var decision = root.Element(Dmn13 + "decision")!;
        var table = decision.Element(Dmn13 + "decisionTable")!;
        Assert.Equal("UNIQUE", (string?)table.Attribute("hitPolicy"));
        Assert.Equal("number", (string?)table.Element(Dmn13 + "input")!.Element(Dmn13 + "inputExpression")!.Attribute("typeRef"));
        Assert.Equal("\"SMB sequence\",\"Mid-market sequence\",\"Human review\"", table.Element(Dmn13 + "output")!.Element(Dmn13 + "outputValues")!.Value);
        Assert.All(table.Elements(Dmn13 + "rule"), r => Assert.StartsWith("lead_route_rule_", (string)r.Attribute("id")!, StringComparison.Ordinal));
        Assert.Equal("#" + (string)root.Element(Dmn13 + "inputData")!.Attribute("id")!,
            (string?)decision.Element(Dmn13 + "informationRequirement")!.Element(Dmn13 + "requiredInput")!.Attribute("href"));
        var ids = root.DescendantsAndSelf().Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(2, root.Descendants(XName.Get("DMNShape", "https://www.omg.org/spec/DMN/20191111/DMNDI/")).Count());
        Assert.Equal(xml, DmnXml.Export(model));
    }

    [Fact]
    public void Model_RoundTripsThroughJson_ForPersistence()
    {
        var model = DmnXml.Import(TckModel("0108-first-hitpolicy")).Model! with
        {
            Decisions = [.. DmnXml.Import(TckModel("0108-first-hitpolicy")).Model!.Decisions, new LiteralExpressionDecision { Name = "Twice", Expression = "Age * 2" }],
        };

        var json = System.Text.Json.JsonSerializer.Serialize(model);
        var back = System.Text.Json.JsonSerializer.Deserialize<DmnModel>(json);

        Assert.Equal(model, back);
        Assert.Contains("\"kind\":\"decisionTable\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluateModel_RejectsInputData_OutsideItsItemDefinitionsAllowedValues()
    {
        var body = """
              <itemDefinition name="tRisk"><typeRef>string</typeRef><allowedValues><text>"Low","High"</text></allowedValues></itemDefinition>
              <inputData id="in1" name="Risk"><variable name="Risk" typeRef="tRisk"/></inputData>
              <decision id="d1" name="Echo"><literalExpression><text>Risk</text></literalExpression></decision>
            """;
        var model = CompiledDmnModel.Compile(DmnXml.Import(Definitions(DmnXml.Dmn13Namespace, body)).Model!).GetValueOrThrow();

        Assert.Equal("Low", model.Evaluate("Echo", new Dictionary<string, object?> { ["Risk"] = "Low" }).Value);
        var error = model.Evaluate("Echo", new Dictionary<string, object?> { ["Risk"] = "Medium" }).Error!;
        Assert.Equal(DecisionErrorKind.InvalidInput, error.Kind);
        Assert.Contains("allowed values", error.Message, StringComparison.Ordinal);
    }
}
