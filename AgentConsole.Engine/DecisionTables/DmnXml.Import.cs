using System.Xml.Linq;

namespace AgentConsole.Engine.DecisionTables;

public static partial class DmnXml
{
    /// <summary>
    /// Marks an item definition the exporter wrote only to carry an input's allowed values (DMN has no other place for
    /// them); the importer resolves it but does not add it to the model's item definitions, so a model round-trips.
    /// </summary>
    internal const string ExtensionNamespace = "http://agentconsole/dmn/extensions";

    private static readonly XName GeneratedAttribute = XNamespace.Get(ExtensionNamespace) + "generated";

    private sealed partial class Importer(XNamespace ns)
    {
        private readonly Dictionary<string, XElement> _itemDefinitions = new(StringComparer.Ordinal);
        private readonly HashSet<string> _usedIds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _knowledgeParameters = new(StringComparer.Ordinal);

        public List<DmnImportIssue> Issues { get; } = [];

        private void Error(string message, XElement element) => Issues.Add(Issue(DiagnosticSeverity.Error, message, element));

        private void Warning(string message, XElement element) => Issues.Add(Issue(DiagnosticSeverity.Warning, message, element));

        private XName N(string local) => ns + local;

        public DmnModel Read(XElement root)
        {
            // Item definitions first: every typeRef of the file resolves against them.
            foreach (var item in root.Elements(N("itemDefinition")))
            {
                if ((string?)item.Attribute("name") is not { } name)
                {
                    Error("An item definition has no name; nothing can refer to it.", item);
                }
                else if (!_itemDefinitions.TryAdd(name, item))
                {
                    Error($"Item definition '{name}' is defined twice; names of item definitions must be unique.", item);
                }
            }

            foreach (var knowledge in root.Elements(N("businessKnowledgeModel")))
            {
                _knowledgeParameters.TryAdd(Name(knowledge),
                    [.. knowledge.Element(N("encapsulatedLogic"))?.Elements(N("formalParameter")).Select(Name) ?? []]);
            }

            foreach (var id in root.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>())
            {
                _usedIds.Add(id);
            }

            var itemDefinitions = new List<ItemDefinition>();
            foreach (var element in root.Elements(N("itemDefinition")))
            {
                if ((string?)element.Attribute(GeneratedAttribute) != "true")
                {
                    itemDefinitions.Add(ReadItemDefinition(element, $"itemDefinition_{itemDefinitions.Count + 1}"));
                }
            }

            foreach (var cycle in ItemTypes.FindCycles(itemDefinitions))
            {
                Error(ItemTypes.CycleMessage(cycle), _itemDefinitions.GetValueOrDefault(cycle[0]) ?? root);
            }

            var inputData = new List<InputData>();
            var decisions = new List<DmnDecision>();
            var knowledgeModels = new List<BusinessKnowledgeModel>();
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
                        if (ReadKnowledgeModel(element, knowledgeModels.Count) is { } knowledge)
                        {
                            knowledgeModels.Add(knowledge);
                        }

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
                ItemDefinitions = itemDefinitions.ToEquatableArray(),
                KnowledgeModels = knowledgeModels.ToEquatableArray(),
                MainDecision = (string?)root.Attribute(MainDecisionAttribute),
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

        /// <summary>Reads isCollection; a value that is not an XML boolean is an error at the element, never an exception.</summary>
        private bool IsCollection(XElement element, bool report)
        {
            var text = (string?)element.Attribute("isCollection");
            switch (text?.Trim())
            {
                case null:
                    return false;
                case "true" or "1":
                    return true;
                case "false" or "0":
                    return false;
                default:
                    if (report)
                    {
                        Error($"isCollection of '{(string?)element.Attribute("name")}' is '{text}'; it must be true or false.", element);
                    }

                    return false;
            }
        }

        private ItemDefinition ReadItemDefinition(XElement element, string fallbackId)
        {
            var id = Id(element, fallbackId);
            var name = Name(element);
            var typeRef = element.Element(N("typeRef"))?.Value ?? (string?)element.Attribute("typeRef");
            return new ItemDefinition
            {
                Id = id,
                Name = name,
                TypeRef = NormalizeTypeRef(typeRef, element, $"item definition '{name}'"),
                IsCollection = IsCollection(element, report: true),
                AllowedValues = Text(element.Element(N("allowedValues"))) ?? Text(element.Element(N("typeConstraint"))),
                Components = element.Elements(N("itemComponent"))
                    .Select((component, i) => ReadItemDefinition(component, $"{id}_component_{i + 1}"))
                    .ToEquatableArray(),
            };
        }

        /// <summary>
        /// The typeRef as the model keeps it: an item definition's name or a FEEL type name, without a namespace prefix
        /// (<c>feel:string</c>, <c>ns1:tLoan</c>). An unknown name is an error at <paramref name="at"/> and yields null.
        /// </summary>
        private string? NormalizeTypeRef(string? typeRef, XElement at, string owner)
        {
            if (string.IsNullOrWhiteSpace(typeRef))
            {
                return null;
            }

            var text = typeRef.Trim();
            if (FindItemDefinition(text) is { } item)
            {
                return Name(item);
            }

            var local = LocalTypeName(text);
            if (DmnText.TryParseTypeRef(text, out _) || ItemTypes.IsGenericFeelType(local))
            {
                return local;
            }

            Error($"The typeRef '{text}' of {owner} names no item definition of the model and no FEEL type.", at);
            return null;
        }

        private static string LocalTypeName(string typeRef)
        {
            var colon = typeRef.IndexOf(':', StringComparison.Ordinal);
            return colon >= 0 ? typeRef[(colon + 1)..] : typeRef;
        }

        private XElement? FindItemDefinition(string typeRef) =>
            _itemDefinitions.TryGetValue(typeRef, out var item) || _itemDefinitions.TryGetValue(LocalTypeName(typeRef), out item) ? item : null;

        /// <summary>A record or a collection, itself or through the item definition it is based on.</summary>
        private bool IsStructured(XElement item, int depth = 0)
        {
            if (item.Elements(N("itemComponent")).Any() || IsCollection(item, report: false))
            {
                return true;
            }

            var baseType = item.Element(N("typeRef"))?.Value ?? (string?)item.Attribute("typeRef");
            return depth < 32 && baseType is not null && FindItemDefinition(baseType.Trim()) is { } parent && parent != item && IsStructured(parent, depth + 1);
        }

        private InputData ReadInputData(XElement element, int index)
        {
            var name = Name(element);
            var type = ResolveType((string?)element.Element(N("variable"))?.Attribute("typeRef"), element, $"input data '{name}'");
            return new InputData { Id = Id(element, $"inputData_{index + 1}"), Name = name, TypeRef = type.Type, AllowedValues = type.Allowed, TypeName = type.TypeName };
        }

        /// <summary>
        /// A simple type (a FEEL type, or an item definition based on one, with its allowed values), or the name of a
        /// structured or collection item definition. Unknown names are errors at <paramref name="at"/>.
        /// </summary>
        private ResolvedType ResolveType(string? typeRef, XElement at, string owner, bool report = true, int depth = 0)
        {
            if (string.IsNullOrWhiteSpace(typeRef))
            {
                return default;
            }

            var text = typeRef.Trim();
            if (FindItemDefinition(text) is { } item)
            {
                if (IsStructured(item))
                {
                    return new ResolvedType(null, null, Name(item));
                }

                if (depth >= 32)
                {
                    return default;
                }

                // Cycles and unknown base types are reported once, where the item definitions are read.
                var inherited = ResolveType(item.Element(N("typeRef"))?.Value ?? (string?)item.Attribute("typeRef"), item, owner, report: false, depth + 1);
                return inherited with { Allowed = Text(item.Element(N("allowedValues"))) ?? Text(item.Element(N("typeConstraint"))) ?? inherited.Allowed };
            }

            if (DmnText.TryParseTypeRef(text, out var builtIn))
            {
                return new ResolvedType(builtIn, null, null);
            }

            if (report && !ItemTypes.IsGenericFeelType(LocalTypeName(text)))
            {
                Error($"The typeRef '{text}' of {owner} names no item definition of the model and no FEEL type.", at);
            }

            return default;
        }

        private DmnDecision? ReadDecision(XElement element, int index)
        {
            var name = Name(element);
            var id = Id(element, $"decision_{index + 1}");
            var description = element.Element(N("description"))?.Value;
            var logic = element.Elements().FirstOrDefault(e => e.Name.Namespace == ns
                && (e.Name.LocalName is "decisionTable" or "literalExpression" || BoxedExpressions.ContainsKey(e.Name.LocalName)));
            if (logic is null)
            {
                Warning($"Decision '{name}' has no decision logic and was left out.", element);
                return null;
            }

            var variableType = (string?)element.Element(N("variable"))?.Attribute("typeRef");
            var variable = ResolveType(variableType, element, $"decision '{name}'");
            var decision = ReadLogic(logic, id, name, variableType, variable, $"Decision '{name}'");
            return decision is null ? null : decision with { Description = description, TypeName = variable.TypeName };
        }

        /// <summary>
        /// A decision's or a business knowledge model's logic: a decision table, a literal expression, or a boxed
        /// expression written as literal FEEL. Null (with an issue) when it cannot be taken over.
        /// </summary>
        private DmnDecision? ReadLogic(XElement logic, string id, string name, string? variableType, ResolvedType variable, string owner)
        {
            switch (logic.Name.LocalName)
            {
                case "decisionTable":
                    return ReadTable(logic, id, name, variableType);
                case "literalExpression":
                    CheckLanguage(logic, owner);
                    return new LiteralExpressionDecision
                    {
                        Id = id,
                        Name = name,
                        Expression = Text(logic) ?? "",
                        ExpressionId = Id(logic, $"{id}_expression"),
                        TypeRef = ExpressionType(logic, variable, name),
                    };
                case "functionDefinition":
                    Error($"{owner} is {BoxedExpressions["functionDefinition"]} (<functionDefinition>), which is beyond decision tables and literal expressions; it was left out.", logic);
                    return null;
                default:
                    if (BoxedToFeel(logic, owner) is not { } text)
                    {
                        return null;
                    }

                    return new LiteralExpressionDecision
                    {
                        Id = id,
                        Name = name,
                        Expression = text,
                        ExpressionId = Id(logic, $"{id}_expression"),
                        TypeRef = ExpressionType(logic, variable, name),
                    };
            }
        }

        private FeelType? ExpressionType(XElement logic, ResolvedType variable, string name) =>
            (string?)logic.Attribute("typeRef") is { } own ? ResolveType(own, logic, $"'{name}'").Type : variable.Type;

        private BusinessKnowledgeModel? ReadKnowledgeModel(XElement element, int index)
        {
            var name = Name(element);
            var id = Id(element, $"knowledgeModel_{index + 1}");
            var logic = element.Element(N("encapsulatedLogic"));
            if (logic is null)
            {
                Error($"Business knowledge model '{name}' has no encapsulatedLogic, so neither parameters nor a body; it was left out.", element);
                return null;
            }

            if ((string?)logic.Attribute("kind") is { } kind && !string.Equals(kind, "FEEL", StringComparison.OrdinalIgnoreCase))
            {
                Error($"Business knowledge model '{name}' is a {kind} function; only FEEL functions are supported.", logic);
                return null;
            }

            var parameters = logic.Elements(N("formalParameter")).Select((parameter, i) =>
            {
                var parameterName = Name(parameter);
                var type = ResolveType((string?)parameter.Attribute("typeRef"), parameter, $"parameter '{parameterName}' of '{name}'");
                return new KnowledgeParameter { Id = Id(parameter, $"{id}_parameter_{i + 1}"), Name = parameterName, TypeRef = type.Type, TypeName = type.TypeName };
            }).ToEquatableArray();

            var body = logic.Elements().FirstOrDefault(e => e.Name.Namespace == ns
                && (e.Name.LocalName is "decisionTable" or "literalExpression" || BoxedExpressions.ContainsKey(e.Name.LocalName)));
            if (body is null)
            {
                Error($"Business knowledge model '{name}' has no body: its encapsulatedLogic holds no decision table or literal expression.", logic);
                return null;
            }

            var resultTypeRef = (string?)logic.Attribute("typeRef") ?? (string?)element.Element(N("variable"))?.Attribute("typeRef");
            var result = ResolveType(resultTypeRef, logic, $"business knowledge model '{name}'");
            if (ReadLogic(body, Id(logic, $"{id}_logic"), name, resultTypeRef, result, $"Business knowledge model '{name}'") is not { } function)
            {
                return null;
            }

            return new BusinessKnowledgeModel
            {
                Id = id,
                Name = name,
                Description = element.Element(N("description"))?.Value,
                Parameters = parameters,
                Body = function,

                // Without a declared result type, a literal body's own typeRef is the function's result type.
                TypeRef = resultTypeRef is null && function is LiteralExpressionDecision literal ? literal.TypeRef : result.Type,
                TypeName = result.TypeName,
            };
        }

        private void CheckLanguage(XElement element, string owner)
        {
            var language = (string?)element.Attribute("expressionLanguage");
            if (language is not null && !language.Contains("FEEL", StringComparison.OrdinalIgnoreCase))
            {
                Error($"{owner} uses the expression language '{language}'; only (S-)FEEL is supported.", element);
            }
        }

        private DecisionTableDefinition ReadTable(XElement table, string decisionId, string name, string? variableType)
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
                    CheckLanguage(expression, $"Decision '{name}'");
                }

                var type = ResolveType((string?)expression?.Attribute("typeRef"), input, $"an input of '{name}'");
                return new DecisionInput
                {
                    Id = inputId,
                    Label = (string?)input.Attribute("label"),
                    Expression = Text(expression) ?? "",
                    ExpressionId = expression is null ? $"{inputId}_expression" : Id(expression, $"{inputId}_expression"),
                    TypeRef = type.Type,
                    AllowedValues = Text(input.Element(N("inputValues"))) ?? type.Allowed,
                };
            }).ToEquatableArray();

            var components = variableType is not null && FindItemDefinition(variableType.Trim()) is { } composite
                ? composite.Elements(N("itemComponent")).GroupBy(Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)
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

                return new DecisionOutput
                {
                    Id = Id(output, $"{decisionId}_output_{o + 1}"),
                    Name = outputName,
                    Label = (string?)output.Attribute("label"),
                    TypeRef = ResolveType(typeRef, output, $"an output of '{name}'", report: (string?)output.Attribute("typeRef") is not null).Type,
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

        /// <summary>A typeRef resolved: a simple FEEL type with allowed values, or a structured item definition's name.</summary>
        private readonly record struct ResolvedType(FeelType? Type, string? Allowed, string? TypeName);
    }
}
