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

/// <summary>Reads DMN 1.1–1.5 XML (decision tables, literal expressions, input data) and writes DMN 1.3.</summary>
public static class DmnXml
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

    private static readonly Dictionary<string, string> UnsupportedLogic = new(StringComparer.Ordinal)
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

    private sealed class Importer(XNamespace ns)
    {
        private readonly Dictionary<string, XElement> _itemDefinitions = new(StringComparer.Ordinal);
        private readonly HashSet<string> _usedIds = new(StringComparer.Ordinal);

        public List<DmnImportIssue> Issues { get; } = [];

        private void Error(string message, XElement element) => Issues.Add(Issue(DiagnosticSeverity.Error, message, element));

        private void Warning(string message, XElement element) => Issues.Add(Issue(DiagnosticSeverity.Warning, message, element));

        private XName N(string local) => ns + local;

        public DmnModel Read(XElement root)
        {
            foreach (var item in root.Elements(N("itemDefinition")))
            {
                if ((string?)item.Attribute("name") is { } name)
                {
                    _itemDefinitions[name] = item;
                }
            }

            foreach (var id in root.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>())
            {
                _usedIds.Add(id);
            }

            var inputData = new List<InputData>();
            var decisions = new List<DmnDecision>();
            foreach (var element in root.Elements())
            {
                if (element.Name.Namespace != ns)
                {
                    continue;
                }

                switch (element.Name.LocalName)
                {
                    case "inputData":
                        inputData.Add(ReadInputData(element, inputData.Count));
                        break;
                    case "decision":
                        if (ReadDecision(element, decisions.Count) is { } decision)
                        {
                            decisions.Add(decision);
                        }

                        break;
                    case "businessKnowledgeModel":
                        Error($"Business knowledge model '{Name(element)}' is not supported; decisions that invoke it cannot be evaluated.", element);
                        break;
                    case "decisionService":
                        Warning($"Decision service '{Name(element)}' is not supported and was left out; its decisions are imported on their own.", element);
                        break;
                    case "import":
                        Error($"Imported model '{(string?)element.Attribute("namespace")}' is not supported; put everything in one file.", element);
                        break;
                }
            }

            return new DmnModel
            {
                Id = (string?)root.Attribute("id") ?? "",
                Name = (string?)root.Attribute("name") ?? "",
                Namespace = (string?)root.Attribute("namespace") ?? "",
                InputData = inputData.ToEquatableArray(),
                Decisions = decisions.ToEquatableArray(),
            };
        }

        private static string Name(XElement element) => (string?)element.Attribute("name") ?? (string?)element.Attribute("id") ?? "(unnamed)";

        private string Id(XElement element, string fallback)
        {
            if ((string?)element.Attribute("id") is { Length: > 0 } id)
            {
                return id;
            }

            var candidate = fallback;
            for (var n = 2; !_usedIds.Add(candidate); n++)
            {
                candidate = $"{fallback}_{n}";
            }

            return candidate;
        }

        private string? Text(XElement? element) => element?.Element(N("text"))?.Value;

        private InputData ReadInputData(XElement element, int index)
        {
            var name = Name(element);
            var (type, allowed) = ResolveType((string?)element.Element(N("variable"))?.Attribute("typeRef"), element);
            return new InputData { Id = Id(element, $"inputData_{index + 1}"), Name = name, TypeRef = type, AllowedValues = allowed };
        }

        private (FeelType? Type, string? Allowed) ResolveType(string? typeRef, XElement at, int depth = 0)
        {
            if (string.IsNullOrWhiteSpace(typeRef))
            {
                return (null, null);
            }

            if (DmnText.TryParseTypeRef(typeRef, out var builtIn))
            {
                return (builtIn, null);
            }

            var local = typeRef.Contains(':', StringComparison.Ordinal) ? typeRef[(typeRef.IndexOf(':', StringComparison.Ordinal) + 1)..] : typeRef;
            if (depth < 10 && (_itemDefinitions.TryGetValue(typeRef, out var item) || _itemDefinitions.TryGetValue(local, out item)))
            {
                if (item.Elements(N("itemComponent")).Any() || (bool?)item.Attribute("isCollection") == true)
                {
                    Warning($"Type '{typeRef}' of '{Name(at)}' is a structure or collection, which S-FEEL inputs cannot hold; the value is treated as untyped.", at);
                    return (null, null);
                }

                var (type, inherited) = ResolveType(item.Element(N("typeRef"))?.Value ?? (string?)item.Attribute("typeRef"), item, depth + 1);
                return (type, Text(item.Element(N("allowedValues"))) ?? inherited);
            }

            Warning($"Unknown typeRef '{typeRef}' on '{Name(at)}'; the value is treated as untyped.", at);
            return (null, null);
        }

        private DmnDecision? ReadDecision(XElement element, int index)
        {
            var name = Name(element);
            var id = Id(element, $"decision_{index + 1}");
            var description = element.Element(N("description"))?.Value;
            foreach (var requirement in element.Elements(N("knowledgeRequirement")))
            {
                Error($"Decision '{name}' requires a business knowledge model, which is not supported.", requirement);
            }

            var logic = element.Elements().FirstOrDefault(e => e.Name.Namespace == ns
                && (e.Name.LocalName is "decisionTable" or "literalExpression" || UnsupportedLogic.ContainsKey(e.Name.LocalName)));
            var variableType = (string?)element.Element(N("variable"))?.Attribute("typeRef");
            switch (logic?.Name.LocalName)
            {
                case null:
                    Warning($"Decision '{name}' has no decision logic and was left out.", element);
                    return null;
                case "literalExpression":
                {
                    CheckLanguage(logic, name);
                    var (type, _) = ResolveType((string?)logic.Attribute("typeRef") ?? variableType, element);
                    return new LiteralExpressionDecision
                    {
                        Id = id,
                        Name = name,
                        Description = description,
                        Expression = Text(logic) ?? "",
                        ExpressionId = Id(logic, $"{id}_expression"),
                        TypeRef = type,
                    };
                }

                case "decisionTable":
                    return ReadTable(logic, id, name, description, variableType);
                default:
                    Error($"Decision '{name}' is {UnsupportedLogic[logic.Name.LocalName]} (<{logic.Name.LocalName}>), which is beyond S-FEEL decision tables and literal expressions; the decision was left out.", logic);
                    return null;
            }
        }

        private void CheckLanguage(XElement element, string decision)
        {
            var language = (string?)element.Attribute("expressionLanguage");
            if (language is not null && !language.Contains("FEEL", StringComparison.OrdinalIgnoreCase))
            {
                Error($"Decision '{decision}' uses the expression language '{language}'; only (S-)FEEL is supported.", element);
            }
        }

        private DecisionTableDefinition ReadTable(XElement table, string decisionId, string name, string? description, string? variableType)
        {
            var policyText = (string?)table.Attribute("hitPolicy");
            if (!DmnText.TryParseHitPolicy(policyText, out var policy))
            {
                Error($"Decision '{name}' has the unknown hit policy '{policyText}'; UNIQUE is assumed.", table);
            }

            var aggregationText = (string?)table.Attribute("aggregation");
            if (!DmnText.TryParseAggregator(aggregationText, out var aggregator))
            {
                Error($"Decision '{name}' has the unknown aggregation '{aggregationText}'.", table);
            }

            var inputs = table.Elements(N("input")).Select((input, i) =>
            {
                var inputId = Id(input, $"{decisionId}_input_{i + 1}");
                var expression = input.Element(N("inputExpression"));
                if (expression is not null)
                {
                    CheckLanguage(expression, name);
                }

                var (type, itemAllowed) = ResolveType((string?)expression?.Attribute("typeRef"), input);
                return new DecisionInput
                {
                    Id = inputId,
                    Label = (string?)input.Attribute("label"),
                    Expression = Text(expression) ?? "",
                    ExpressionId = expression is null ? $"{inputId}_expression" : Id(expression, $"{inputId}_expression"),
                    TypeRef = type,
                    AllowedValues = Text(input.Element(N("inputValues"))) ?? itemAllowed,
                };
            }).ToEquatableArray();

            var components = _itemDefinitions.TryGetValue(variableType ?? "", out var composite)
                ? composite.Elements(N("itemComponent")).ToDictionary(c => Name(c), c => c, StringComparer.Ordinal)
                : [];
            var outputElements = table.Elements(N("output")).ToList();
            var outputs = outputElements.Select((output, o) =>
            {
                var outputName = (string?)output.Attribute("name");
                var typeRef = (string?)output.Attribute("typeRef");
                if (typeRef is null && outputName is not null && components.TryGetValue(outputName, out var component))
                {
                    typeRef = component.Element(N("typeRef"))?.Value;
                }
                else if (typeRef is null && outputElements.Count == 1)
                {
                    typeRef = (string?)table.Attribute("typeRef") ?? variableType;
                }

                var (type, _) = ResolveType(typeRef, output);
                return new DecisionOutput
                {
                    Id = Id(output, $"{decisionId}_output_{o + 1}"),
                    Name = outputName,
                    Label = (string?)output.Attribute("label"),
                    TypeRef = type,
                    OutputValues = SplitValues(Text(output.Element(N("outputValues"))), output),
                    DefaultOutputEntry = Text(output.Element(N("defaultOutputEntry"))),
                };
            }).ToEquatableArray();

            var rules = table.Elements(N("rule")).Select((rule, r) => new DecisionRule
            {
                Id = Id(rule, $"{decisionId}_rule_{r + 1}"),
                Description = rule.Element(N("description"))?.Value,
                InputEntries = rule.Elements(N("inputEntry")).Select(e => Text(e) ?? "").ToEquatableArray(),
                OutputEntries = rule.Elements(N("outputEntry")).Select(e => Text(e) ?? "").ToEquatableArray(),
                Annotations = rule.Elements(N("annotationEntry")).Select(e => Text(e) ?? "").ToEquatableArray(),
            }).ToEquatableArray();

            return new DecisionTableDefinition
            {
                Id = decisionId,
                Name = name,
                Description = description,
                TableId = Id(table, $"{decisionId}_table"),
                HitPolicy = policy,
                Aggregator = aggregator,
                Inputs = inputs,
                Outputs = outputs,
                Rules = rules,
                AnnotationColumns = table.Elements(N("annotation")).Select(a => (string?)a.Attribute("name") ?? "").ToEquatableArray(),
            };
        }

        /// <summary>Splits <c>"Approved", "Declined"</c> into one text per value, keeping each value's own spelling.</summary>
        private EquatableArray<string> SplitValues(string? text, XElement at)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return [];
            }

            var parsed = FeelParser.ParseUnaryTests(text);
            if (!parsed.Success)
            {
                var shown = text.Length <= 200 ? text : text[..200] + "…";
                Warning($"Output values '{shown}' of '{Name(at)}' do not parse ({parsed.Error}); they are kept as one value.", at);
                return [text.Trim()];
            }

            return parsed.Value is DisjunctionTest list
                ? list.Tests.Select(t => text.Substring(t.Span.Start, t.Span.Length).Trim()).ToEquatableArray()
                : [text.Trim()];
        }
    }

    /// <summary>Writes the model as DMN 1.3 with diagram information, as Camunda Modeler expects; missing ids are generated stably.</summary>
    public static string Export(DmnModel model)
    {
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(new StringWriterWithEncoding(builder), settings))
        {
            ExportDocument(model).Save(writer);
        }

        return builder.ToString();
    }

    public static XDocument ExportDocument(DmnModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        XNamespace dmn = Dmn13Namespace;
        XNamespace dmndi = DmndiNamespace;
        XNamespace dc = DcNamespace;
        XNamespace di = DiNamespace;
        var ids = new IdAllocator(model);

        var names = new FeelNames(model.InputData.Select(i => i.Name).Concat(model.Decisions.Select(d => d.Name)));
        var inputIds = model.InputData.Select((input, i) => ids.Take(input.Id, $"InputData_{i + 1}")).ToArray();
        var decisionIds = model.Decisions.Select((decision, i) => ids.Take(decision.Id, $"Decision_{i + 1}")).ToArray();
        var idByName = new Dictionary<string, (string Id, bool IsInput)>(StringComparer.Ordinal);
        for (var i = 0; i < model.InputData.Count; i++)
        {
            idByName.TryAdd(model.InputData[i].Name, (inputIds[i], true));
        }

        for (var i = 0; i < model.Decisions.Count; i++)
        {
            idByName.TryAdd(model.Decisions[i].Name, (decisionIds[i], false));
        }

        var root = new XElement(dmn + "definitions",
            new XAttribute(XNamespace.Xmlns + "dmndi", dmndi.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "dc", dc.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "di", di.NamespaceName),
            new XAttribute("id", ids.Take(model.Id, "Definitions_1")),
            new XAttribute("name", model.Name),
            new XAttribute("namespace", string.IsNullOrEmpty(model.Namespace) ? "http://agentconsole/dmn" : model.Namespace),
            new XAttribute("exporter", "AgentConsole"),
            new XAttribute("exporterVersion", "1.0"));

        // Input data with allowed values need an item definition to carry them.
        for (var i = 0; i < model.InputData.Count; i++)
        {
            var input = model.InputData[i];
            if (!string.IsNullOrWhiteSpace(input.AllowedValues))
            {
                root.Add(new XElement(dmn + "itemDefinition",
                    new XAttribute("id", ids.Take("", $"ItemDefinition_{inputIds[i]}")),
                    new XAttribute("name", $"t{inputIds[i]}"),
                    DmnText.TypeRefName(input.TypeRef) is { } baseType ? new XElement(dmn + "typeRef", baseType) : null,
                    new XElement(dmn + "allowedValues", new XElement(dmn + "text", input.AllowedValues))));
            }
        }

        var edges = new List<(string RequirementId, string From, string To)>();
        for (var d = 0; d < model.Decisions.Count; d++)
        {
            var decision = model.Decisions[d];
            var decisionId = decisionIds[d];
            var element = new XElement(dmn + "decision", new XAttribute("id", decisionId), new XAttribute("name", decision.Name));
            if (!string.IsNullOrEmpty(decision.Description))
            {
                element.Add(new XElement(dmn + "description", decision.Description));
            }

            if (decision is LiteralExpressionDecision { TypeRef: not null } typed)
            {
                element.Add(new XElement(dmn + "variable", new XAttribute("id", ids.Take("", $"{decisionId}_variable")),
                    new XAttribute("name", decision.Name), new XAttribute("typeRef", DmnText.TypeRefName(typed.TypeRef)!)));
            }

            var requirement = 0;
            foreach (var name in DecisionReferences.Collect(decision, names).Order(StringComparer.Ordinal))
            {
                if (!idByName.TryGetValue(name, out var target))
                {
                    continue;
                }

                var requirementId = ids.Take("", $"{decisionId}_requirement_{++requirement}");
                element.Add(new XElement(dmn + "informationRequirement", new XAttribute("id", requirementId),
                    new XElement(dmn + (target.IsInput ? "requiredInput" : "requiredDecision"), new XAttribute("href", $"#{target.Id}"))));
                edges.Add((requirementId, target.Id, decisionId));
            }

            element.Add(decision switch
            {
                DecisionTableDefinition table => ExportTable(dmn, table, decisionId, ids),
                LiteralExpressionDecision literal => new XElement(dmn + "literalExpression",
                    new XAttribute("id", ids.Take(literal.ExpressionId, $"{decisionId}_expression")),
                    new XElement(dmn + "text", literal.Expression)),
                _ => null,
            });
            root.Add(element);
        }

        for (var i = 0; i < model.InputData.Count; i++)
        {
            var input = model.InputData[i];
            var typeRef = !string.IsNullOrWhiteSpace(input.AllowedValues) ? $"t{inputIds[i]}" : DmnText.TypeRefName(input.TypeRef);
            root.Add(new XElement(dmn + "inputData", new XAttribute("id", inputIds[i]), new XAttribute("name", input.Name),
                new XElement(dmn + "variable", new XAttribute("id", ids.Take("", $"{inputIds[i]}_variable")), new XAttribute("name", input.Name),
                    typeRef is null ? null : new XAttribute("typeRef", typeRef))));
        }

        root.Add(Diagram(dmndi, dc, di, decisionIds, inputIds, edges, ids));
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), root);
    }

    private static XElement ExportTable(XNamespace dmn, DecisionTableDefinition table, string decisionId, IdAllocator ids)
    {
        var element = new XElement(dmn + "decisionTable",
            new XAttribute("id", ids.Take(table.TableId, $"{decisionId}_table")),
            new XAttribute("hitPolicy", DmnText.HitPolicyName(table.HitPolicy)));
        if (table.HitPolicy == HitPolicy.Collect && DmnText.AggregatorName(table.Aggregator) is { } aggregation)
        {
            element.Add(new XAttribute("aggregation", aggregation));
        }

        for (var i = 0; i < table.Inputs.Count; i++)
        {
            var input = table.Inputs[i];
            var inputId = ids.Take(input.Id, $"{decisionId}_input_{i + 1}");
            element.Add(new XElement(dmn + "input", new XAttribute("id", inputId),
                input.Label is null ? null : new XAttribute("label", input.Label),
                new XElement(dmn + "inputExpression", new XAttribute("id", ids.Take(input.ExpressionId, $"{inputId}_expression")),
                    DmnText.TypeRefName(input.TypeRef) is { } typeRef ? new XAttribute("typeRef", typeRef) : null,
                    new XElement(dmn + "text", input.Expression)),
                string.IsNullOrWhiteSpace(input.AllowedValues) ? null
                    : new XElement(dmn + "inputValues", new XAttribute("id", ids.Take("", $"{inputId}_values")), new XElement(dmn + "text", input.AllowedValues))));
        }

        for (var o = 0; o < table.Outputs.Count; o++)
        {
            var output = table.Outputs[o];
            var outputId = ids.Take(output.Id, $"{decisionId}_output_{o + 1}");
            element.Add(new XElement(dmn + "output", new XAttribute("id", outputId),
                output.Label is null ? null : new XAttribute("label", output.Label),
                output.Name is null ? null : new XAttribute("name", output.Name),
                DmnText.TypeRefName(output.TypeRef) is { } typeRef ? new XAttribute("typeRef", typeRef) : null,
                output.OutputValues.IsEmpty ? null
                    : new XElement(dmn + "outputValues", new XAttribute("id", ids.Take("", $"{outputId}_values")),
                        new XElement(dmn + "text", string.Join(",", output.OutputValues))),
                output.DefaultOutputEntry is null ? null
                    : new XElement(dmn + "defaultOutputEntry", new XAttribute("id", ids.Take("", $"{outputId}_default")),
                        new XElement(dmn + "text", output.DefaultOutputEntry))));
        }

        foreach (var annotation in table.AnnotationColumns)
        {
            element.Add(new XElement(dmn + "annotation", new XAttribute("name", annotation)));
        }

        for (var r = 0; r < table.Rules.Count; r++)
        {
            var rule = table.Rules[r];
            var ruleId = ids.Take(rule.Id, $"{decisionId}_rule_{r + 1}");
            var row = new XElement(dmn + "rule", new XAttribute("id", ruleId));
            if (rule.Description is not null)
            {
                row.Add(new XElement(dmn + "description", rule.Description));
            }

            row.Add(rule.InputEntries.Select((text, i) => new XElement(dmn + "inputEntry",
                new XAttribute("id", ids.Take("", $"{ruleId}_in_{i + 1}")), new XElement(dmn + "text", text))));
            row.Add(rule.OutputEntries.Select((text, o) => new XElement(dmn + "outputEntry",
                new XAttribute("id", ids.Take("", $"{ruleId}_out_{o + 1}")), new XElement(dmn + "text", text))));
            row.Add(rule.Annotations.Select(text => new XElement(dmn + "annotationEntry", new XElement(dmn + "text", text))));
            element.Add(row);
        }

        return element;
    }

    private static XElement Diagram(XNamespace dmndi, XNamespace dc, XNamespace di, string[] decisionIds, string[] inputIds,
        List<(string RequirementId, string From, string To)> edges, IdAllocator ids)
    {
        const int width = 180, height = 80, gap = 60, decisionY = 80, inputY = 300;
        var bounds = new Dictionary<string, (int X, int Y)>(StringComparer.Ordinal);
        var diagram = new XElement(dmndi + "DMNDiagram", new XAttribute("id", ids.Take("", "DMNDiagram_1")));
        void Shape(string elementId, int index, int y)
        {
            var x = 160 + (index * (width + gap));
            bounds[elementId] = (x, y);
            diagram.Add(new XElement(dmndi + "DMNShape", new XAttribute("id", ids.Take("", $"DMNShape_{elementId}")), new XAttribute("dmnElementRef", elementId),
                new XElement(dc + "Bounds", new XAttribute("height", height), new XAttribute("width", width), new XAttribute("x", x), new XAttribute("y", y))));
        }

        for (var i = 0; i < decisionIds.Length; i++)
        {
            Shape(decisionIds[i], i, decisionY);
        }

        for (var i = 0; i < inputIds.Length; i++)
        {
            Shape(inputIds[i], i, inputY);
        }

        foreach (var (requirementId, from, to) in edges)
        {
            var (fx, fy) = bounds[from];
            var (tx, ty) = bounds[to];
            diagram.Add(new XElement(dmndi + "DMNEdge", new XAttribute("id", ids.Take("", $"DMNEdge_{requirementId}")), new XAttribute("dmnElementRef", requirementId),
                new XElement(di + "waypoint", new XAttribute("x", fx + (width / 2)), new XAttribute("y", fy < ty ? fy + height : fy)),
                new XElement(di + "waypoint", new XAttribute("x", tx + (width / 2)), new XAttribute("y", fy < ty ? ty : ty + height))));
        }

        return new XElement(dmndi + "DMNDI", diagram);
    }

    /// <summary>Keeps ids unique and valid XML names; generated ids depend only on the model, so exports are stable.</summary>
    private sealed class IdAllocator
    {
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);

        public IdAllocator(DmnModel model)
        {
            foreach (var decision in model.Decisions)
            {
                _used.Add(decision.Id);
            }

            foreach (var input in model.InputData)
            {
                _used.Add(input.Id);
            }
        }

        public string Take(string? preferred, string fallback)
        {
            if (!string.IsNullOrWhiteSpace(preferred))
            {
                _used.Add(preferred);
                return preferred;
            }

            var candidate = Sanitize(fallback);
            for (var n = 2; !_used.Add(candidate); n++)
            {
                candidate = Sanitize($"{fallback}_{n}");
            }

            return candidate;
        }

        private static string Sanitize(string id)
        {
            var builder = new StringBuilder(id.Length + 1);
            foreach (var c in id)
            {
                builder.Append(char.IsLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_');
            }

            if (builder.Length == 0 || !(char.IsLetter(builder[0]) || builder[0] == '_'))
            {
                builder.Insert(0, '_');
            }

            return builder.ToString();
        }
    }

    private sealed class StringWriterWithEncoding(StringBuilder builder) : StringWriter(builder, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
