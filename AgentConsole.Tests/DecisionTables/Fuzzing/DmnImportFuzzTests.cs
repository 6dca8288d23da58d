using System.Security;
using System.Text;
using AgentConsole.Engine.DecisionTables;
using CsCheck;

namespace AgentConsole.Tests.DecisionTables.Fuzzing;

/// <summary>
/// The DMN importer and everything after it (limits, compile, evaluate, analyse) against random bytes and random
/// mutations of the DMN TCK models: never an exception, always a model or positioned issues.
/// </summary>
public sealed class DmnImportFuzzTests
{
    private const int Iterations = 600;

    private static readonly string[] TckModels = [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "DecisionTables", "Tck"), "*.dmn", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal).Select(File.ReadAllText)];

    // Markup that breaks or bends XML: entities, DTDs (prohibited), CDATA, stray tags and namespaces.
    private static readonly string[] XmlFragments =
    [
        "<", ">", "</", "/>", "&", "&amp;", "&lt;", "&#0;", "&#x1F600;", "&unknown;", "\"", "'", "=",
        "<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>", "<!ENTITY x SYSTEM \"file:///etc/passwd\">",
        "<![CDATA[", "]]>", "<!--", "-->", "<?xml version=\"1.0\"?>", "<text>", "</text>", "<rule>", "</rule>",
        "<inputEntry><text>", "</text></inputEntry>", "xmlns=\"urn:x\"", "\u0000", "\uFFFE",
    ];

    private static readonly Gen<string> Insertion = Gen.Frequency(
        (3, Gen.OneOf(XmlFragments)),
        (3, FeelFuzzInputs.Any.Select(SecurityElement.Escape)),
        (1, Gen.String[Gen.Char, 1, 40]));

    private sealed record Mutation(int Kind, double At, double Span, string Text);

    private static readonly Gen<Mutation> Mutations =
        Gen.Select(Gen.Int[0, 4], Gen.Double[0, 1], Gen.Double[0, 1], Insertion, (kind, at, span, text) => new Mutation(kind, at, span, text));

    private static string Apply(string xml, Mutation m)
    {
        var at = (int)(m.At * xml.Length);
        var length = Math.Min(xml.Length - at, (int)(m.Span * 200));
        return m.Kind switch
        {
            0 => xml.Remove(at, length),
            1 => xml.Insert(at, m.Text),
            2 => xml.Insert(at, xml.Substring(at, length)),
            3 => xml.Remove(at, length).Insert(at, m.Text),
            _ => ReplaceCellText(xml, m),
        };
    }

    /// <summary>Puts adversarial FEEL into one of the model's cells, so the text survives XML parsing.</summary>
    private static string ReplaceCellText(string xml, Mutation m)
    {
        var cells = new List<int>();
        for (var i = xml.IndexOf("<text>", StringComparison.Ordinal); i >= 0; i = xml.IndexOf("<text>", i + 1, StringComparison.Ordinal))
        {
            cells.Add(i + "<text>".Length);
        }

        if (cells.Count == 0)
        {
            return xml;
        }

        var start = cells[(int)(m.At * (cells.Count - 1))];
        var end = xml.IndexOf("</text>", start, StringComparison.Ordinal);
        return end < 0 ? xml : xml[..start] + SecurityElement.Escape(m.Text) + xml[end..];
    }

    private static readonly Gen<string> MutatedModels =
        Gen.Select(Gen.Int[0, TckModels.Length - 1], Mutations.Array[1, 6], (model, mutations) => mutations.Aggregate(TckModels[model], Apply));

    private static void ImportCompileAnalyse(string xml)
    {
        var import = DmnXml.Import(xml);
        Assert.True(import.Model is not null || import.Errors.Any(), "a model or an error");
        Assert.All(import.Issues, i => Assert.False(string.IsNullOrWhiteSpace(i.Message)));
        if (import.Model is not { } model)
        {
            return;
        }

        DecisionLimits.Check(model);
        var compilation = CompiledDmnModel.Compile(model);
        if (compilation.Value is { } compiled)
        {
            foreach (var decision in model.Decisions)
            {
                compiled.Evaluate(decision.Name, new Dictionary<string, object?>());
            }
        }

        foreach (var decision in model.Decisions)
        {
            DecisionWorkbench.Analyze(model with { Decisions = [decision] });
        }

        DecisionJson.Deserialize(DecisionJson.Serialize(model));
    }

    [Fact]
    public void Import_NeverThrows_ForRandomMutationsOfTheTckModels()
    {
        MutatedModels.Sample(ImportCompileAnalyse, iter: Iterations);
    }

    [Fact]
    public void Import_NeverThrows_ForRandomBytes()
    {
        Gen.Byte.Array[0, 2_000].Sample(bytes =>
        {
            using var stream = new MemoryStream(bytes);
            var import = DmnXml.Import(stream);
            Assert.True(import.Model is not null || import.Errors.Any());
            ImportCompileAnalyse(Encoding.Latin1.GetString(bytes));
        }, iter: Iterations);
    }

    [Fact]
    public void Import_RefusesADocumentType_WithoutExpandingEntities()
    {
        var bomb = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
            + "<definitions xmlns=\"https://www.omg.org/spec/DMN/20191111/MODEL/\" name=\"&b;\"/>";

        var import = DmnXml.Import(bomb);

        Assert.Null(import.Model);
        Assert.Contains("DTD", Assert.Single(import.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_RefusesADocument_LongerThanTheLimit()
    {
        var padding = new string(' ', DmnXml.MaxDocumentCharacters);
        var import = DmnXml.Import(TckModels[0] + padding);

        Assert.Null(import.Model);
        Assert.Contains("at most", Assert.Single(import.Errors).Message, StringComparison.Ordinal);
    }
}
