using System.Globalization;
using System.Xml.Linq;
using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Tests.DecisionTables;

/// <summary>Runs every test case of the DMN TCK compliance-level-2 subset through import and evaluation.</summary>
public sealed class TckTests
{
    private static readonly XNamespace TestCases = "http://www.omg.org/spec/DMN/20160719/testcase";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    private static string TckRoot => Path.Combine(AppContext.BaseDirectory, "DecisionTables", "Tck");

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var file in Directory.GetFiles(TckRoot, "*-test-*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var folder = Path.GetFileName(Path.GetDirectoryName(file))!;
            foreach (var testCase in XDocument.Load(file).Root!.Elements(TestCases + "testCase"))
            {
                foreach (var result in testCase.Elements(TestCases + "resultNode"))
                {
                    data.Add($"{folder}/{Path.GetFileName(file)}", (string)testCase.Attribute("id")!, (string)result.Attribute("name")!);
                }
            }
        }

        return data;
    }

    [Fact]
    public void TckSubset_IsPresent_WithEveryFolder()
    {
        Assert.Equal(10, Directory.GetDirectories(TckRoot).Length);
        Assert.True(File.Exists(Path.Combine(TckRoot, "LICENSE-ASL-2.0.txt")));
        Assert.True(Cases().Count >= 30);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_MatchesTckExpectedResult(string testFile, string testCaseId, string resultNode)
    {
        var path = Path.Combine(TckRoot, testFile);
        var cases = XDocument.Load(path).Root!;
        var modelFile = Path.Combine(Path.GetDirectoryName(path)!, cases.Element(TestCases + "modelName")!.Value);
        var import = DmnXml.Import(File.ReadAllText(modelFile));
        Assert.True(import.Success, string.Join("\n", import.Issues));
        var compilation = CompiledDmnModel.Compile(import.Model!);
        Assert.True(compilation.Success, string.Join("\n", compilation.Diagnostics));

        var testCase = cases.Elements(TestCases + "testCase").Single(t => (string)t.Attribute("id")! == testCaseId);
        var inputs = testCase.Elements(TestCases + "inputNode").ToDictionary(n => (string)n.Attribute("name")!, ReadValue);
        var expected = ReadValue(testCase.Elements(TestCases + "resultNode").Single(r => (string)r.Attribute("name")! == resultNode).Element(TestCases + "expected")!);

        var result = compilation.Value!.Evaluate(resultNode, inputs);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(Normalize(expected), Normalize(result.Value));
    }

    /// <summary>Reads a TCK value node: a typed &lt;value&gt;, &lt;component&gt;s (a context) or a &lt;list&gt; of &lt;item&gt;s.</summary>
    private static object? ReadValue(XElement node)
    {
        if (node.Element(TestCases + "list") is { } list)
        {
            return list.Elements(TestCases + "item").Select(ReadValue).ToList();
        }

        var components = node.Elements(TestCases + "component").ToList();
        if (components.Count > 0)
        {
            return components.ToDictionary(c => (string)c.Attribute("name")!, ReadValue);
        }

        var value = node.Element(TestCases + "value");
        if (value is null || (bool?)value.Attribute(Xsi + "nil") == true)
        {
            return null;
        }

        var type = ((string?)value.Attribute(Xsi + "type"))?.Split(':')[^1];
        return type switch
        {
            "decimal" or "double" or "integer" or "int" or "long" => decimal.Parse(value.Value, NumberStyles.Float, CultureInfo.InvariantCulture),
            "boolean" => bool.Parse(value.Value),
            "date" => DateOnly.ParseExact(value.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            "dateTime" => DateTimeOffset.Parse(value.Value, CultureInfo.InvariantCulture),
            "duration" => value.Value,
            _ => value.Value,
        };
    }

    /// <summary>Renders results and expectations the same way, so lists, contexts and numbers compare by value.</summary>
    private static string Normalize(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        decimal d => d.ToString("G29", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IReadOnlyDictionary<string, object?> context => "{" + string.Join(", ", context.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {Normalize(p.Value)}")) + "}",
        IDictionary<string, object?> context => "{" + string.Join(", ", context.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {Normalize(p.Value)}")) + "}",
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Normalize)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
