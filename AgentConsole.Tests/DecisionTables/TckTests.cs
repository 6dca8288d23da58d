using System.Xml.Linq;
using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Tests.DecisionTables;

/// <summary>Runs every test case of the DMN TCK compliance-level-2 subset through import and evaluation.</summary>
public sealed class TckTests
{
    private static readonly XNamespace TestCases = TckValues.TestCases;

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
        var inputs = testCase.Elements(TestCases + "inputNode").ToDictionary(n => (string)n.Attribute("name")!, TckValues.Read);
        var expected = TckValues.Read(testCase.Elements(TestCases + "resultNode").Single(r => (string)r.Attribute("name")! == resultNode).Element(TestCases + "expected")!);

        var result = compilation.Value!.Evaluate(resultNode, inputs);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(TckValues.Normalize(expected), TckValues.Normalize(result.Value));
    }
}
