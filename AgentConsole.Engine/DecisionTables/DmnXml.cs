using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace AgentConsole.Engine.DecisionTables;

/// <summary>A problem found while importing DMN XML; line and column are one-based when known.</summary>
public sealed record DmnImportIssue(DiagnosticSeverity Severity, string Message, string? Element = null, int? Line = null, int? Column = null)
{
    public override string ToString() =>
        Line is { } line ? $"{Message} (line {line}, column {Column})" : Message;
}

/// <summary>
/// The imported model and everything the importer could not take over. <see cref="Model"/> is null only when the
/// document is not DMN at all (malformed XML, unknown namespace); otherwise it holds every supported decision,
/// and each unsupported construct is named in <see cref="Issues"/>.
/// </summary>
public sealed record DmnImportResult(DmnModel? Model, EquatableArray<DmnImportIssue> Issues, string? DmnVersion)
{
    /// <summary>True when the model was read and nothing in it was left out.</summary>
    public bool Success => Model is not null && !Issues.Any(i => i.Severity == DiagnosticSeverity.Error);

    public IEnumerable<DmnImportIssue> Errors => Issues.Where(i => i.Severity == DiagnosticSeverity.Error);

    public IEnumerable<DmnImportIssue> Warnings => Issues.Where(i => i.Severity == DiagnosticSeverity.Warning);
}

/// <summary>
/// Reads DMN 1.1–1.5 XML (item definitions, input data, decisions, business knowledge models; boxed invocations,
/// contexts, lists and relations become literal FEEL) and writes DMN 1.3 (<c>DmnXml.Export.cs</c>).
/// </summary>
public static partial class DmnXml
{
    /// <summary>
    /// The largest DMN document imported, in characters (8 MiB): several times the largest hand-made decision tables,
    /// and small enough that the parsed document stays a modest amount of memory on a small server.
    /// </summary>
    public const int MaxDocumentCharacters = 8 * 1024 * 1024;

    public const string Dmn13Namespace = "https://www.omg.org/spec/DMN/20191111/MODEL/";
    private const string DmndiNamespace = "https://www.omg.org/spec/DMN/20191111/DMNDI/";
    private const string DcNamespace = "http://www.omg.org/spec/DMN/20180521/DC/";
    private const string DiNamespace = "http://www.omg.org/spec/DMN/20180521/DI/";

    private static readonly Dictionary<string, string> Versions = new(StringComparer.Ordinal)
    {
        ["http://www.omg.org/spec/DMN/20151101/dmn.xsd"] = "1.1",
        ["http://www.omg.org/spec/DMN/20180521/MODEL/"] = "1.2",
        [Dmn13Namespace] = "1.3",
        ["https://www.omg.org/spec/DMN/20211108/MODEL/"] = "1.4",
        ["https://www.omg.org/spec/DMN/20230324/MODEL/"] = "1.5",
    };

    /// <summary>The boxed expressions DMN allows as decision logic besides tables and literal expressions, by element name.</summary>
    private static readonly Dictionary<string, string> BoxedExpressions = new(StringComparer.Ordinal)
    {
        ["context"] = "a boxed context",
        ["invocation"] = "an invocation (of a business knowledge model)",
        ["relation"] = "a relation",
        ["list"] = "a boxed list",
        ["functionDefinition"] = "a function definition",
        ["conditional"] = "a boxed conditional",
        ["filter"] = "a boxed filter",
        ["for"] = "a boxed iterator",
        ["every"] = "a boxed quantifier",
        ["some"] = "a boxed quantifier",
    };

    public static DmnImportResult Import(Stream xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        using var reader = new StreamReader(xml, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Import(reader.ReadToEnd());
    }

    public static DmnImportResult Import(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (xml.Length > MaxDocumentCharacters)
        {
            return new DmnImportResult(null,
                [new DmnImportIssue(DiagnosticSeverity.Error, $"The file is {xml.Length:N0} characters long; a DMN file may hold at most {MaxDocumentCharacters:N0}.")], null);
        }

        XDocument document;
        try
        {
            // No DTDs (entity expansion, external fetches) and a hard ceiling on what the reader takes in.
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = MaxDocumentCharacters,
            };
            using var text = new StringReader(xml);
            using var reader = XmlReader.Create(text, settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            return new DmnImportResult(null, [new DmnImportIssue(DiagnosticSeverity.Error, $"The file is not well-formed XML: {e.Message}", null, e.LineNumber, e.LinePosition)], null);
        }

        var root = document.Root!;
        var ns = root.Name.NamespaceName;
        if (root.Name.LocalName != "definitions" || !Versions.TryGetValue(ns, out var version))
        {
            var found = string.IsNullOrEmpty(ns) ? "no namespace" : $"namespace '{ns}'";
            return new DmnImportResult(null,
                [Issue(DiagnosticSeverity.Error, $"<{root.Name.LocalName}> in {found} is not a DMN document; expected <definitions> in one of the DMN 1.1–1.5 namespaces ({string.Join(", ", Versions.Keys)}).", root)],
                null);
        }

        var importer = new Importer(ns);
        var model = importer.Read(root);
        return new DmnImportResult(model, importer.Issues.ToEquatableArray(), version);
    }

    private static DmnImportIssue Issue(DiagnosticSeverity severity, string message, XElement element)
    {
        var info = (IXmlLineInfo)element;
        return new DmnImportIssue(severity, message, element.Name.LocalName, info.HasLineInfo() ? info.LineNumber : null, info.HasLineInfo() ? info.LinePosition : null);
    }

    private sealed class StringWriterWithEncoding(StringBuilder builder) : StringWriter(builder, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
