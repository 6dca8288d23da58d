using System.Text.Json;
using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Tests.DecisionTables;

public sealed class ItemTypesTests
{
    /// <summary>tLead = { name: string, employees: number, size: tSize, address: tAddress, products: tProducts, contacts: tContact* }.</summary>
    private static readonly DmnModel Model = new()
    {
        Name = "Leads",
        ItemDefinitions =
        [
            new ItemDefinition { Name = "tSize", TypeRef = "string", AllowedValues = "\"S\",\"M\",\"L\"" },
            new ItemDefinition
            {
                Name = "tAddress",
                Components =
                [
                    new ItemDefinition { Name = "street", TypeRef = "string" },
                    new ItemDefinition { Name = "country", TypeRef = "string" },
                ],
            },
            new ItemDefinition { Name = "tProducts", TypeRef = "string", IsCollection = true },
            new ItemDefinition
            {
                Name = "tContact",
                Components = [new ItemDefinition { Name = "email", TypeRef = "string" }, new ItemDefinition { Name = "score", TypeRef = "number", AllowedValues = "[0..100]" }],
            },
            new ItemDefinition { Name = "tContacts", TypeRef = "tContact", IsCollection = true },
            new ItemDefinition
            {
                Name = "tLead",
                Components =
                [
                    new ItemDefinition { Name = "name", TypeRef = "string" },
                    new ItemDefinition { Name = "employees", TypeRef = "number" },
                    new ItemDefinition { Name = "size", TypeRef = "tSize" },
                    new ItemDefinition { Name = "address", TypeRef = "tAddress" },
                    new ItemDefinition { Name = "products", TypeRef = "tProducts" },
                    new ItemDefinition { Name = "contacts", TypeRef = "tContacts" },
                ],
            },
        ],
    };

    private static string? Coerce(object? raw, out FeelValue value) => ItemTypes.TryCoerce(raw, "tLead", Model, "Lead", out value);

    [Fact]
    public void TryCoerce_BuildsNestedContexts_InDefinitionOrder_WithMissingComponentsAsNull()
    {
        var raw = new Dictionary<string, object?>
        {
            ["address"] = new Dictionary<string, object?> { ["country"] = "DE", ["street"] = "Main 1" },
            ["employees"] = 120,
            ["name"] = "Acme",
        };

        var problem = Coerce(raw, out var value);

        Assert.Null(problem);
        Assert.Equal(FeelKind.Context, value.Kind);
        Assert.Equal(["name", "employees", "size", "address", "products", "contacts"], value.Context.Keys);
        Assert.Equal("{name: \"Acme\", employees: 120, size: null, address: {street: \"Main 1\", country: \"DE\"}, products: null, contacts: null}", value.ToString());
    }

    [Fact]
    public void TryCoerce_ReadsJson_WithCollectionsOfRecords_AndKeepsExtraMembers()
    {
        using var json = JsonDocument.Parse("""
            {"name": "Acme", "employees": 12.5, "size": "M", "products": ["A", "B"],
             "contacts": [{"email": "a@x", "score": 10}, {"email": "b@x", "score": 99.5}], "source": "web"}
            """);

        var problem = Coerce(json.RootElement, out var value);

        Assert.Null(problem);
        Assert.Equal(
            "{name: \"Acme\", employees: 12.5, size: \"M\", address: null, products: [\"A\", \"B\"], contacts: [{email: \"a@x\", score: 10}, {email: \"b@x\", score: 99.5}], source: \"web\"}",
            value.ToString());
        Assert.Equal(FeelKind.List, value.Context.Values[5].Kind);
    }

    [Fact]
    public void TryCoerce_ConvertsNumbersSentAsText_AsFlatInputsDo()
    {
        var problem = Coerce(new Dictionary<string, object?> { ["employees"] = "42" }, out var value);

        Assert.Null(problem);
        Assert.True(value.Context.TryGet("employees", out var employees));
        Assert.Equal(42m, employees.Number);
    }

    [Theory]
    [InlineData("""{"address": {"country": 12}}""", "Lead.address.country must be a string, not 12")]
    [InlineData("""{"products": "A"}""", "Lead.products must be a list, not \"A\"")]
    [InlineData("""{"employees": [1, 2]}""", "Lead.employees must be a number, not [1, 2]")]
    [InlineData("""{"employees": "many"}""", "Lead.employees must be a number, not \"many\"")]
    [InlineData("""{"size": "XL"}""", "Lead.size is \"XL\", which is not one of its allowed values \"S\",\"M\",\"L\"")]
    [InlineData("""{"address": "Main 1"}""", "Lead.address must be a record with street, country, not \"Main 1\"")]
    [InlineData("""{"products": ["A", 7]}""", "Lead.products[2] must be a string, not 7")]
    [InlineData("""{"contacts": [{"email": "a@x", "score": 101}]}""", "Lead.contacts[1].score is 101, which is not one of its allowed values [0..100]")]
    [InlineData("""{"contacts": {"email": "a@x"}}""", "Lead.contacts must be a list, not {email: \"a@x\"}")]
    [InlineData("""["Acme"]""", "Lead must be a record with name, employees, size, address, products, contacts, not [\"Acme\"]")]
    public void TryCoerce_NamesThePath_OfTheFirstWrongValue(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        var problem = Coerce(document.RootElement, out _);

        Assert.Equal(expected, problem);
    }

    [Fact]
    public void TryCoerce_ChecksClrListsAndRecords_LikeJson()
    {
        var raw = new Dictionary<string, object?> { ["products"] = new List<object?> { "A" }, ["employees"] = new[] { 1, 2 } };

        Assert.Equal("Lead.employees must be a number, not [1, 2]", Coerce(raw, out _));
        Assert.Null(Coerce(new Dictionary<string, object?> { ["products"] = new List<object?> { "A", null } }, out var value));
        Assert.Equal("[\"A\", null]", value.Context.Values[4].ToString());
    }

    [Fact]
    public void TryCoerce_AcceptsNull_ForAnyType()
    {
        Assert.Null(Coerce(null, out var value));
        Assert.True(value.IsNull);
    }

    [Fact]
    public void TryCoerce_ChecksAllowedValues_OfSimpleAndCollectionTypes()
    {
        var model = Model with
        {
            ItemDefinitions = [.. Model.ItemDefinitions, new ItemDefinition { Name = "tSizes", TypeRef = "tSize", IsCollection = true }],
        };

        Assert.Null(ItemTypes.TryCoerce(new List<string> { "S", "L" }, "tSizes", model, "Sizes", out var sizes));
        Assert.Equal("[\"S\", \"L\"]", sizes.ToString());
        Assert.Equal("Sizes[2] is \"XXL\", which is not one of its allowed values \"S\",\"M\",\"L\"",
            ItemTypes.TryCoerce(new List<string> { "S", "XXL" }, "tSizes", model, "Sizes", out _));
        Assert.Equal("Size is \"XXL\", which is not one of its allowed values \"S\",\"M\",\"L\"", ItemTypes.TryCoerce("XXL", "tSize", model, "Size", out _));
    }

    [Fact]
    public void TryCoerce_ReportsAnUnknownTypeName()
    {
        Assert.Equal("Lead has the type 'tNowhere', which is not an item definition of the model", ItemTypes.TryCoerce("x", "tNowhere", Model, "Lead", out _));
    }

    [Fact]
    public void Validate_AcceptsAWellFormedModel()
    {
        Assert.Empty(ItemTypes.Validate(Model with { InputData = [new InputData { Name = "Lead", TypeName = "tLead" }] }));
    }

    [Fact]
    public void Validate_ReportsUnknownTypes_Cycles_AndAllowedValuesThatDoNotParse()
    {
        var model = new DmnModel
        {
            Name = "Broken",
            ItemDefinitions =
            [
                new ItemDefinition { Name = "tA", Components = [new ItemDefinition { Name = "b", TypeRef = "tB" }] },
                new ItemDefinition { Name = "tB", TypeRef = "tA", IsCollection = true },
                new ItemDefinition { Name = "tC", Components = [new ItemDefinition { Name = "x", TypeRef = "tMissing" }] },
                new ItemDefinition { Name = "tD", TypeRef = "number", AllowedValues = "[1..>" },
            ],
            InputData = [new InputData { Name = "In", TypeName = "tGone" }],
            Decisions = [new LiteralExpressionDecision { Name = "Out", Expression = "1", TypeName = "tLost" }],
            KnowledgeModels =
            [
                new BusinessKnowledgeModel
                {
                    Name = "F",
                    Parameters = [new KnowledgeParameter { Name = "p", TypeName = "tNone" }],
                    Body = new LiteralExpressionDecision { Name = "F", Expression = "p" },
                },
            ],
        };

        var messages = ItemTypes.Validate(model).Select(d => d.Message).ToList();

        Assert.Contains("The typeRef 'tMissing' of tC.x names no item definition of the model and no FEEL type.", messages);
        Assert.Contains(messages, m => m.StartsWith("Item definitions refer to each other in a cycle: tA → tB → tA", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("The allowed values of tD do not parse:", StringComparison.Ordinal));
        Assert.Contains("The type 'tGone' of input data 'In' is not an item definition of the model.", messages);
        Assert.Contains("The type 'tLost' of decision 'Out' is not an item definition of the model.", messages);
        Assert.Contains("The type 'tNone' of parameter 'p' of 'F' is not an item definition of the model.", messages);
        Assert.Equal(6, messages.Count);
        Assert.Equal("Out", ItemTypes.Validate(model).Single(d => d.Message.Contains("tLost", StringComparison.Ordinal)).DecisionName);
    }

    [Fact]
    public void FindCycles_CountsACollectionOfItself()
    {
        var cycles = ItemTypes.FindCycles([new ItemDefinition { Name = "tNode", Components = [new ItemDefinition { Name = "children", TypeRef = "tNode", IsCollection = true }] }]);

        Assert.Equal(["tNode", "tNode"], Assert.Single(cycles));
    }
}
