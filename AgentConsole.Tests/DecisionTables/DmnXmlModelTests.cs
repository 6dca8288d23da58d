using System.Xml.Linq;
using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Tests.DecisionTables;

/// <summary>Import and export of whole models: item definitions, business knowledge models and boxed expressions.</summary>
public sealed class DmnXmlModelTests
{
    private static readonly XNamespace Dmn13 = DmnXml.Dmn13Namespace;

    private static DmnImportResult Import(string body) => DmnXml.Import($"""
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="{DmnXml.Dmn13Namespace}" xmlns:ns1="http://example.com/dmn" id="defs" name="Sample" namespace="http://example.com/dmn">
        {body}
        </definitions>
        """);

    private static string Expression(DmnImportResult import, string decision) =>
        Assert.IsType<LiteralExpressionDecision>(import.Model!.FindDecision(decision)).Expression;

    [Fact]
    public void Import_ReadsItemDefinitions_WithNestedComponents_Collections_AndPrefixedTypeRefs()
    {
        var import = Import("""
              <itemDefinition id="t1" name="tAddress">
                <itemComponent id="c1" name="street"><typeRef>feel:string</typeRef></itemComponent>
                <itemComponent id="c2" name="country"><typeRef>string</typeRef><allowedValues><text>"DE","FR"</text></allowedValues></itemComponent>
              </itemDefinition>
              <itemDefinition id="t2" name="tProducts" isCollection="true"><typeRef>string</typeRef></itemDefinition>
              <itemDefinition id="t3" name="tLead">
                <itemComponent id="c3" name="address"><typeRef>ns1:tAddress</typeRef></itemComponent>
                <itemComponent id="c4" name="products"><typeRef>tProducts</typeRef></itemComponent>
                <itemComponent id="c5" name="owner"><itemComponent id="c6" name="email"><typeRef>string</typeRef></itemComponent></itemComponent>
              </itemDefinition>
              <itemDefinition id="t4" name="tSize"><typeRef>string</typeRef><allowedValues><text>"S","M"</text></allowedValues></itemDefinition>
              <inputData id="in1" name="Lead"><variable name="Lead" typeRef="ns1:tLead"/></inputData>
              <inputData id="in2" name="Size"><variable name="Size" typeRef="tSize"/></inputData>
              <decision id="d1" name="Products"><variable name="Products" typeRef="tProducts"/><literalExpression id="e1"><text>Lead.products</text></literalExpression></decision>
            """);

        Assert.True(import.Success, string.Join("\n", import.Issues));
        var model = import.Model!;
        Assert.Equal(
            new ItemDefinition
            {
                Id = "t3",
                Name = "tLead",
                Components =
                [
                    new ItemDefinition { Id = "c3", Name = "address", TypeRef = "tAddress" },
                    new ItemDefinition { Id = "c4", Name = "products", TypeRef = "tProducts" },
                    new ItemDefinition { Id = "c5", Name = "owner", Components = [new ItemDefinition { Id = "c6", Name = "email", TypeRef = "string" }] },
                ],
            },
            model.FindItemDefinition("tLead"));
        Assert.Equal("string", model.FindItemDefinition("tAddress")!.Components[0].TypeRef);
        Assert.Equal("\"DE\",\"FR\"", model.FindItemDefinition("tAddress")!.Components[1].AllowedValues);
        Assert.True(model.FindItemDefinition("tProducts")!.IsCollection);
        Assert.Equal(new InputData { Id = "in1", Name = "Lead", TypeName = "tLead" }, model.InputData[0]);
        Assert.Equal(new InputData { Id = "in2", Name = "Size", TypeRef = FeelType.String, AllowedValues = "\"S\",\"M\"" }, model.InputData[1]);
        Assert.Equal("tProducts", model.Decisions[0].TypeName);
    }

    [Fact]
    public void Import_ReadsBusinessKnowledgeModels_WithParametersAndBody()
    {
        var import = Import("""
              <itemDefinition name="tLoan"><itemComponent name="amount"><typeRef>number</typeRef></itemComponent></itemDefinition>
              <businessKnowledgeModel id="b1" name="PMT">
                <variable name="PMT"/>
                <encapsulatedLogic id="f1">
                  <formalParameter id="p1" typeRef="number" name="p"/>
                  <formalParameter id="p2" typeRef="tLoan" name="loan"/>
                  <literalExpression id="le1" typeRef="number"><text>p * loan.amount</text></literalExpression>
                </encapsulatedLogic>
              </businessKnowledgeModel>
              <businessKnowledgeModel id="b2" name="Risk table">
                <encapsulatedLogic id="f2">
                  <formalParameter id="p3" typeRef="number" name="score"/>
                  <decisionTable id="dt2"><input id="i1"><inputExpression id="ie1"><text>score</text></inputExpression></input><output id="o1" typeRef="string"/>
                    <rule id="r1"><inputEntry><text>&gt; 5</text></inputEntry><outputEntry><text>"High"</text></outputEntry></rule></decisionTable>
                </encapsulatedLogic>
              </businessKnowledgeModel>
            """);

        Assert.True(import.Success, string.Join("\n", import.Issues));
        var pmt = import.Model!.FindKnowledgeModel("PMT")!;
        Assert.Equal(
            [new KnowledgeParameter { Id = "p1", Name = "p", TypeRef = FeelType.Number }, new KnowledgeParameter { Id = "p2", Name = "loan", TypeName = "tLoan" }],
            pmt.Parameters);
        Assert.Equal(new LiteralExpressionDecision { Id = "f1", Name = "PMT", Expression = "p * loan.amount", ExpressionId = "le1", TypeRef = FeelType.Number }, pmt.Body);
        Assert.Equal(FeelType.Number, pmt.TypeRef);
        var table = Assert.IsType<DecisionTableDefinition>(import.Model.FindKnowledgeModel("Risk table")!.Body);
        Assert.Equal(("Risk table", "dt2", "\"High\""), (table.Name, table.TableId, table.Rules[0].OutputEntries[0]));
    }

    [Fact]
    public void Import_WritesAnInvocation_AsACallWithNamedArguments()
    {
        var import = Import("""
              <inputData id="in1" name="Loan"><variable name="Loan"/></inputData>
              <decision id="d1" name="Monthly payment">
                <variable name="Monthly payment" typeRef="number"/>
                <knowledgeRequirement><requiredKnowledge href="#b1"/></knowledgeRequirement>
                <invocation id="inv1">
                  <literalExpression><text>Payment of</text></literalExpression>
                  <binding><parameter name="loan amount"/><literalExpression><text>Loan.amount</text></literalExpression></binding>
                  <binding><parameter name="rates"/><list><literalExpression><text>0.1</text></literalExpression><literalExpression><text>0.2</text></literalExpression></list></binding>
                  <binding><parameter name="fee"/></binding>
                </invocation>
              </decision>
            """);

        Assert.Empty(import.Errors);
        Assert.Equal("Payment of(loan amount: Loan.amount, rates: [0.1, 0.2], fee: null)", Expression(import, "Monthly payment"));
        var decision = Assert.IsType<LiteralExpressionDecision>(import.Model!.Decisions[0]);
        Assert.Equal(("inv1", FeelType.Number), (decision.ExpressionId, decision.TypeRef));
    }

    [Fact]
    public void Import_WritesAnInvocation_Positionally_WhenParameterNamesAreNotFeelNames()
    {
        var import = Import("""
              <inputData id="in1" name="Person"><variable name="Person"/></inputData>
              <businessKnowledgeModel name="Describe"><encapsulatedLogic>
                <formalParameter name="Person.Gender"/><formalParameter name="Person.Name"/><formalParameter name="Person.Age"/>
                <literalExpression><text>Person.Name</text></literalExpression></encapsulatedLogic></businessKnowledgeModel>
              <decision id="d1" name="Description">
                <invocation>
                  <literalExpression><text>Describe</text></literalExpression>
                  <binding><parameter name="Person.Name"/><literalExpression><text>Person.Name</text></literalExpression></binding>
                  <binding><parameter name="Person.Gender"/><literalExpression><text>Person.Gender</text></literalExpression></binding>
                </invocation>
              </decision>
            """);

        Assert.Empty(import.Errors);
        Assert.Equal("Describe(Person.Gender, Person.Name, null)", Expression(import, "Description"));
    }

    [Fact]
    public void Import_WritesABoxedContext_AsAContextLiteral_WithItsResultUnderAFreeKey()
    {
        var import = Import("""
              <decision id="d1" name="Total">
                <context id="ctx">
                  <contextEntry><variable name="result"/><literalExpression><text>1</text></literalExpression></contextEntry>
                  <contextEntry><variable name="Fees"/>
                    <context><contextEntry><variable name="base"/><literalExpression><text>2</text></literalExpression></contextEntry>
                      <contextEntry><literalExpression><text>base * 3</text></literalExpression></contextEntry></context></contextEntry>
                  <contextEntry><variable name="pair"/><literalExpression><text>min(1, 2)</text></literalExpression></contextEntry>
                  <contextEntry><variable name="odd: key"/><literalExpression><text>some x in [1, 2], y in [3] satisfies x &lt; y</text></literalExpression></contextEntry>
                  <contextEntry><literalExpression><text>result + Fees</text></literalExpression></contextEntry>
                </context>
              </decision>
              <decision id="d2" name="Plain"><context><contextEntry><variable name="a"/><literalExpression><text>1</text></literalExpression></contextEntry></context></decision>
            """);

        Assert.Empty(import.Errors);
        Assert.Equal(
            "{result: 1, Fees: {base: 2, result: base * 3}.result, pair: min(1, 2), \"odd: key\": (some x in [1, 2], y in [3] satisfies x < y), result2: result + Fees}.result2",
            Expression(import, "Total"));
        Assert.Equal("{a: 1}", Expression(import, "Plain"));
    }

    [Fact]
    public void Import_WritesRelationsAndBoxedConditionals_AsFeel()
    {
        var import = Import("""
              <decision id="d1" name="Prices">
                <relation>
                  <column name="item"/><column name="price"/>
                  <row><literalExpression><text>"widget"</text></literalExpression><literalExpression><text>25</text></literalExpression></row>
                  <row><literalExpression><text>"gear"</text></literalExpression><literalExpression><text>1.5</text></literalExpression></row>
                </relation>
              </decision>
              <decision id="d2" name="Cheap">
                <filter><in><literalExpression><text>Prices</text></literalExpression></in><match><literalExpression><text>item.price &lt; 10</text></literalExpression></match></filter>
              </decision>
              <decision id="d3" name="Label">
                <conditional><if><literalExpression><text>count(Cheap) &gt; 0</text></literalExpression></if>
                  <then><literalExpression><text>"some cheap"</text></literalExpression></then><else><literalExpression><text>"none"</text></literalExpression></else></conditional>
              </decision>
            """);

        Assert.Empty(import.Errors);
        Assert.Equal("[{item: \"widget\", price: 25}, {item: \"gear\", price: 1.5}]", Expression(import, "Prices"));
        Assert.Equal("Prices[item.price < 10]", Expression(import, "Cheap"));
        Assert.Equal("if count(Cheap) > 0 then \"some cheap\" else \"none\"", Expression(import, "Label"));
    }

    [Fact]
    public void Import_ReportsAnIsCollectionThatIsNotABoolean_InsteadOfThrowing()
    {
        // Found by the import fuzzer: a mutated attribute value used to throw a FormatException out of the importer.
        var import = Import("""
              <itemDefinition name="tA"><itemComponent name="b" isCollection="f8333eb"><typeRef>string</typeRef></itemComponent></itemDefinition>
            """);

        var error = Assert.Single(import.Errors, e => e.Message.Contains("isCollection", StringComparison.Ordinal));
        Assert.Contains("'f8333eb'; it must be true or false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_ReportsCyclesBetweenItemDefinitions_WithThePath_AtTheDefinition()
    {
        var import = Import("""
              <itemDefinition name="tA"><itemComponent name="b"><typeRef>tB</typeRef></itemComponent></itemDefinition>
              <itemDefinition name="tB" isCollection="true"><typeRef>tA</typeRef></itemDefinition>
              <itemDefinition name="tNode"><itemComponent name="children" isCollection="true"><typeRef>tNode</typeRef></itemComponent></itemDefinition>
            """);

        var cycles = import.Errors.Where(e => e.Message.StartsWith("Item definitions refer to each other in a cycle", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, cycles.Count);
        Assert.Contains("tA → tB → tA", cycles[0].Message, StringComparison.Ordinal);
        Assert.Equal(("itemDefinition", 3), (cycles[0].Element, cycles[0].Line));
        Assert.Contains("tNode → tNode", cycles[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_ReportsUnknownTypeRefs_OfComponentsParametersAndDecisions_WithTheirPosition()
    {
        var import = Import("""
              <itemDefinition name="tA"><itemComponent name="b"><typeRef>tMissing</typeRef></itemComponent></itemDefinition>
              <businessKnowledgeModel name="F"><encapsulatedLogic><formalParameter name="p" typeRef="tGone"/><literalExpression><text>p</text></literalExpression></encapsulatedLogic></businessKnowledgeModel>
              <decision name="D"><variable name="D" typeRef="tLost"/><literalExpression><text>1</text></literalExpression></decision>
              <inputData name="Any value"><variable name="Any value" typeRef="Any"/></inputData>
              <inputData name="Ctx"><variable name="Ctx" typeRef="context"/></inputData>
            """);

        Assert.Equal(
            [
                ("The typeRef 'tMissing' of item definition 'b' names no item definition of the model and no FEEL type.", "itemComponent", 3),
                ("The typeRef 'tGone' of parameter 'p' of 'F' names no item definition of the model and no FEEL type.", "formalParameter", 4),
                ("The typeRef 'tLost' of decision 'D' names no item definition of the model and no FEEL type.", "decision", 5),
            ],
            import.Errors.Select(e => (e.Message, e.Element!, e.Line ?? 0)));
    }

    [Fact]
    public void Import_ReportsKnowledgeModels_WithoutParametersListOrBody()
    {
        var import = Import("""
              <businessKnowledgeModel name="No logic"><variable name="No logic"/></businessKnowledgeModel>
              <businessKnowledgeModel name="No body"><encapsulatedLogic><formalParameter name="p"/></encapsulatedLogic></businessKnowledgeModel>
              <businessKnowledgeModel name="Java"><encapsulatedLogic kind="Java"><literalExpression><text>x</text></literalExpression></encapsulatedLogic></businessKnowledgeModel>
            """);

        Assert.Empty(import.Model!.KnowledgeModels);
        Assert.Equal(
            [
                ("Business knowledge model 'No logic' has no encapsulatedLogic, so neither parameters nor a body; it was left out.", "businessKnowledgeModel"),
                ("Business knowledge model 'No body' has no body: its encapsulatedLogic holds no decision table or literal expression.", "encapsulatedLogic"),
                ("Business knowledge model 'Java' is a Java function; only FEEL functions are supported.", "encapsulatedLogic"),
            ],
            import.Errors.Select(e => (e.Message, e.Element!)));
        Assert.All(import.Errors, e => Assert.NotNull(e.Line));
    }

    [Fact]
    public void Export_WritesItemDefinitionsKnowledgeModelsAndRequirements_ThatRoundTrip()
    {
        var model = new DmnModel
        {
            Id = "m",
            Name = "Leads & <routing>",
            Namespace = "http://example.com/leads",
            MainDecision = "Route",
            ItemDefinitions =
            [
                new ItemDefinition { Id = "tLead", Name = "tLead", Components = [new ItemDefinition { Id = "tLead_size", Name = "size", TypeRef = "number" }] },
            ],
            InputData =
            [
                new InputData { Id = "lead", Name = "Lead", TypeName = "tLead" },
                new InputData { Id = "tier", Name = "Tier", TypeRef = FeelType.String, AllowedValues = "\"A\",\"B\"" },
            ],
            Decisions =
            [
                new LiteralExpressionDecision { Id = "score", Name = "Score", Expression = "Lead", ExpressionId = "score_e", TypeRef = FeelType.Number },
                new LiteralExpressionDecision { Id = "route", Name = "Route", Expression = "Score > 1 and Tier = \"A\"", ExpressionId = "route_e" },
                new LiteralExpressionDecision { Id = "doubled", Name = "Doubled", Expression = "{s: Score, result: Double(x: s)}.result", ExpressionId = "doubled_e" },
            ],
            KnowledgeModels =
            [
                new BusinessKnowledgeModel
                {
                    Id = "double",
                    Name = "Double",
                    Parameters = [new KnowledgeParameter { Id = "double_x", Name = "x", TypeRef = FeelType.Number }],
                    Body = new LiteralExpressionDecision { Id = "double_f", Name = "Double", Expression = "x * 2", ExpressionId = "double_e", TypeRef = FeelType.Number },
                    TypeRef = FeelType.Number,
                },
            ],
        };

        var xml = DmnXml.Export(model);
        var root = XDocument.Parse(xml).Root!;
        var reimported = DmnXml.Import(xml);

        Assert.True(reimported.Success, string.Join("\n", reimported.Issues));
        Assert.Equal(model, reimported.Model);
        Assert.Equal("Leads & <routing>", (string?)root.Attribute("name"));
        var route = root.Elements(Dmn13 + "decision").Single(d => (string?)d.Attribute("name") == "Route");
        Assert.Equal(["#score", "#tier"], route.Elements(Dmn13 + "informationRequirement").Select(r => (string)r.Elements().Single().Attribute("href")!));
        Assert.Equal(["#lead"], root.Elements(Dmn13 + "decision").Single(d => (string?)d.Attribute("name") == "Score")
            .Elements(Dmn13 + "informationRequirement").Select(r => (string)r.Elements().Single().Attribute("href")!));
        Assert.Equal("tLead", (string?)root.Elements(Dmn13 + "inputData").First().Element(Dmn13 + "variable")!.Attribute("typeRef"));
        var doubled = root.Elements(Dmn13 + "decision").Single(d => (string?)d.Attribute("name") == "Doubled");
        Assert.Equal(["#score"], doubled.Elements(Dmn13 + "informationRequirement").Select(r => (string)r.Elements().Single().Attribute("href")!));
        Assert.Equal(["#double"], doubled.Elements(Dmn13 + "knowledgeRequirement").Select(r => (string)r.Elements().Single().Attribute("href")!));
        var knowledge = root.Element(Dmn13 + "businessKnowledgeModel")!.Element(Dmn13 + "encapsulatedLogic")!;
        Assert.Equal(["x"], knowledge.Elements(Dmn13 + "formalParameter").Select(p => (string)p.Attribute("name")!));
        Assert.Equal("x * 2", knowledge.Element(Dmn13 + "literalExpression")!.Value);
    }
}
