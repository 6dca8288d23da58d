using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace AgentConsole.Engine.DecisionTables;

public static partial class DmnXml
{
    private static readonly XName MainDecisionAttribute = XNamespace.Get(ExtensionNamespace) + "mainDecision";

    /// <summary>
    /// Writes the whole model as DMN 1.3: item definitions, input data, decisions with their information and knowledge
    /// requirements (derived from the names each decision refers to), business knowledge models, and a diagram (DMNDI)
    /// so Camunda Modeler and Drools draw the requirements graph. Boxed expressions the importer turned into literal
    /// FEEL are written as literal expressions. Missing ids are generated stably.
    /// </summary>
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
        return new Exporter(model).Write();
    }

    private sealed class Exporter
    {
        private static readonly XNamespace Dmn = Dmn13Namespace;
        private static readonly XNamespace Dmndi = DmndiNamespace;
        private static readonly XNamespace Dc = DcNamespace;
        private static readonly XNamespace Di = DiNamespace;

        private readonly DmnModel _model;
        private readonly IdAllocator _ids;
        private readonly string[] _inputIds;
        private readonly string[] _decisionIds;
        private readonly string[] _knowledgeIds;
        private readonly Dictionary<string, (string Id, ElementKind Kind)> _byName = new(StringComparer.Ordinal);
        private readonly FeelNames _names;
        private readonly List<Edge> _edges = [];
        private readonly Dictionary<string, List<string>> _requiredDecisions = new(StringComparer.Ordinal);

        public Exporter(DmnModel model)
        {
            _model = model;
            _ids = new IdAllocator(model);
            _inputIds = [.. model.InputData.Select((input, i) => _ids.Take(input.Id, $"InputData_{i + 1}"))];
            _decisionIds = [.. model.Decisions.Select((decision, i) => _ids.Take(decision.Id, $"Decision_{i + 1}"))];
            _knowledgeIds = [.. model.KnowledgeModels.Select((knowledge, i) => _ids.Take(knowledge.Id, $"BusinessKnowledgeModel_{i + 1}"))];
            for (var i = 0; i < model.InputData.Count; i++)
            {
                _byName.TryAdd(model.InputData[i].Name, (_inputIds[i], ElementKind.Input));
            }

            for (var i = 0; i < model.Decisions.Count; i++)
            {
                _byName.TryAdd(model.Decisions[i].Name, (_decisionIds[i], ElementKind.Decision));
            }

            for (var i = 0; i < model.KnowledgeModels.Count; i++)
            {
                _byName.TryAdd(model.KnowledgeModels[i].Name, (_knowledgeIds[i], ElementKind.Knowledge));
            }

            _names = new FeelNames(_byName.Keys);
        }

        private enum ElementKind
        {
            Input,
            Decision,
            Knowledge,
        }

        public XDocument Write()
        {
            var root = new XElement(Dmn + "definitions",
                new XAttribute(XNamespace.Xmlns + "dmndi", Dmndi.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "dc", Dc.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "di", Di.NamespaceName),
                new XAttribute("id", _ids.Take(_model.Id, "Definitions_1")),
                new XAttribute("name", _model.Name),
                new XAttribute("namespace", string.IsNullOrEmpty(_model.Namespace) ? "http://agentconsole/dmn" : _model.Namespace),
                new XAttribute("exporter", "AgentConsole"),
                new XAttribute("exporterVersion", "1.0"));
            if (_model.MainDecision is { } main)
            {
                root.Add(new XAttribute(XNamespace.Xmlns + "ac", ExtensionNamespace), new XAttribute(MainDecisionAttribute, main));
            }

            root.Add(_model.ItemDefinitions.Select((item, i) => ItemElement("itemDefinition", item, $"ItemDefinition_{i + 1}")));
            var inputTypes = InputTypes(root);
            root.Add(_model.Decisions.Select((decision, d) => DecisionElement(decision, _decisionIds[d])));
            root.Add(_model.KnowledgeModels.Select((knowledge, k) => KnowledgeElement(knowledge, _knowledgeIds[k])));
            for (var i = 0; i < _model.InputData.Count; i++)
            {
                var input = _model.InputData[i];
                root.Add(new XElement(Dmn + "inputData", new XAttribute("id", _inputIds[i]), new XAttribute("name", input.Name),
                    new XElement(Dmn + "variable", new XAttribute("id", _ids.Take("", $"{_inputIds[i]}_variable")), new XAttribute("name", input.Name),
                        inputTypes[i] is { } typeRef ? new XAttribute("typeRef", typeRef) : null)));
            }

            root.Add(Diagram());
            return new XDocument(new XDeclaration("1.0", "UTF-8", null), root);
        }

        private XElement ItemElement(string elementName, ItemDefinition item, string fallbackId)
        {
            var id = _ids.Take(item.Id, fallbackId);
            var element = new XElement(Dmn + elementName, new XAttribute("id", id), new XAttribute("name", item.Name),
                item.IsCollection ? new XAttribute("isCollection", "true") : null);
            if (!item.Components.IsEmpty)
            {
                element.Add(item.Components.Select((component, i) => ItemElement("itemComponent", component, $"{id}_component_{i + 1}")));
                return element;
            }

            element.Add(item.TypeRef is null ? null : new XElement(Dmn + "typeRef", item.TypeRef),
                string.IsNullOrWhiteSpace(item.AllowedValues) ? null : new XElement(Dmn + "allowedValues", new XElement(Dmn + "text", item.AllowedValues)));
            return element;
        }

        /// <summary>
        /// Each input's typeRef: its structured item definition, else a simple item definition of the model with the same
        /// base type and allowed values, else (allowed values only DMN can hold in an item definition) one written for it
        /// and marked so the importer does not add it to the model.
        /// </summary>
        private string?[] InputTypes(XElement root)
        {
            var simple = _model.ItemDefinitions.Select(item => (item.Name, Type: SimpleType(item, 0))).Where(x => x.Type is not null).ToList();
            var types = new string?[_model.InputData.Count];
            for (var i = 0; i < _model.InputData.Count; i++)
            {
                var input = _model.InputData[i];
                if (input.TypeName is not null || string.IsNullOrWhiteSpace(input.AllowedValues))
                {
                    types[i] = input.TypeName ?? DmnText.TypeRefName(input.TypeRef);
                    continue;
                }

                var match = simple.FirstOrDefault(s => s.Type!.Value.Type == input.TypeRef && string.Equals(s.Type.Value.Allowed, input.AllowedValues, StringComparison.Ordinal));
                if (match.Name is not null)
                {
                    types[i] = match.Name;
                    continue;
                }

                var name = _ids.Take("", $"t{_inputIds[i]}");
                if (root.Attribute(XNamespace.Xmlns + "ac") is null)
                {
                    root.Add(new XAttribute(XNamespace.Xmlns + "ac", ExtensionNamespace));
                }

                root.Add(new XElement(Dmn + "itemDefinition",
                    new XAttribute("id", _ids.Take("", $"ItemDefinition_{_inputIds[i]}")),
                    new XAttribute("name", name),
                    new XAttribute(GeneratedAttribute, "true"),
                    DmnText.TypeRefName(input.TypeRef) is { } baseType ? new XElement(Dmn + "typeRef", baseType) : null,
                    new XElement(Dmn + "allowedValues", new XElement(Dmn + "text", input.AllowedValues))));
                types[i] = name;
            }

            return types;
        }

        /// <summary>The simple type and allowed values an item definition stands for, as the importer resolves them; null for records and collections.</summary>
        private (FeelType? Type, string? Allowed)? SimpleType(ItemDefinition item, int depth)
        {
            if (item.IsCollection || !item.Components.IsEmpty || depth > 32)
            {
                return null;
            }

            if (item.TypeRef is { } typeRef && _model.FindItemDefinition(typeRef) is { } baseItem)
            {
                return SimpleType(baseItem, depth + 1) is { } inherited ? (inherited.Type, item.AllowedValues ?? inherited.Allowed) : null;
            }

            return DmnText.TryParseTypeRef(item.TypeRef, out var type) ? (type, item.AllowedValues) : null;
        }

        private XElement DecisionElement(DmnDecision decision, string decisionId)
        {
            var element = new XElement(Dmn + "decision", new XAttribute("id", decisionId), new XAttribute("name", decision.Name));
            if (!string.IsNullOrEmpty(decision.Description))
            {
                element.Add(new XElement(Dmn + "description", decision.Description));
            }

            var simpleType = decision is LiteralExpressionDecision literal ? DmnText.TypeRefName(literal.TypeRef) : null;
            element.Add(new XElement(Dmn + "variable", new XAttribute("id", _ids.Take("", $"{decisionId}_variable")), new XAttribute("name", decision.Name),
                (decision.TypeName ?? simpleType) is { } typeRef ? new XAttribute("typeRef", typeRef) : null));

            var references = References(decision);
            var requirement = 0;
            var required = new List<string>();
            foreach (var (targetId, kind) in references.Where(r => r.Kind != ElementKind.Knowledge))
            {
                var requirementId = _ids.Take("", $"{decisionId}_requirement_{++requirement}");
                element.Add(new XElement(Dmn + "informationRequirement", new XAttribute("id", requirementId),
                    new XElement(Dmn + (kind == ElementKind.Input ? "requiredInput" : "requiredDecision"), new XAttribute("href", $"#{targetId}"))));
                _edges.Add(new Edge(requirementId, targetId, decisionId));
                if (kind == ElementKind.Decision)
                {
                    required.Add(targetId);
                }
            }

            _requiredDecisions[decisionId] = required;
            element.Add(KnowledgeRequirements(references, decisionId));
            element.Add(Logic(decision, decisionId));
            return element;
        }

        private IEnumerable<XElement> KnowledgeRequirements(List<(string Id, ElementKind Kind)> references, string ownerId)
        {
            var requirement = 0;
            foreach (var (targetId, _) in references.Where(r => r.Kind == ElementKind.Knowledge && r.Id != ownerId))
            {
                var requirementId = _ids.Take("", $"{ownerId}_knowledge_{++requirement}");
                _edges.Add(new Edge(requirementId, targetId, ownerId));
                yield return new XElement(Dmn + "knowledgeRequirement", new XAttribute("id", requirementId),
                    new XElement(Dmn + "requiredKnowledge", new XAttribute("href", $"#{targetId}")));
            }
        }

        private XElement? Logic(DmnDecision logic, string ownerId) => logic switch
        {
            DecisionTableDefinition table => ExportTable(Dmn, table, ownerId, _ids),
            LiteralExpressionDecision literal => new XElement(Dmn + "literalExpression",
                new XAttribute("id", _ids.Take(literal.ExpressionId, $"{ownerId}_expression")),
                DmnText.TypeRefName(literal.TypeRef) is { } typeRef ? new XAttribute("typeRef", typeRef) : null,
                new XElement(Dmn + "text", literal.Expression)),
            _ => null,
        };

        private XElement KnowledgeElement(BusinessKnowledgeModel knowledge, string knowledgeId)
        {
            var logicId = _ids.Take(knowledge.Body.Id, $"{knowledgeId}_logic");
            var element = new XElement(Dmn + "businessKnowledgeModel", new XAttribute("id", knowledgeId), new XAttribute("name", knowledge.Name),
                string.IsNullOrEmpty(knowledge.Description) ? null : new XElement(Dmn + "description", knowledge.Description),
                new XElement(Dmn + "variable", new XAttribute("id", _ids.Take("", $"{knowledgeId}_variable")), new XAttribute("name", knowledge.Name)),
                new XElement(Dmn + "encapsulatedLogic", new XAttribute("id", logicId),
                    (knowledge.TypeName ?? DmnText.TypeRefName(knowledge.TypeRef)) is { } resultType ? new XAttribute("typeRef", resultType) : null,
                    knowledge.Parameters.Select((parameter, p) => new XElement(Dmn + "formalParameter",
                        new XAttribute("id", _ids.Take(parameter.Id, $"{knowledgeId}_parameter_{p + 1}")),
                        new XAttribute("name", parameter.Name),
                        (parameter.TypeName ?? DmnText.TypeRefName(parameter.TypeRef)) is { } typeRef ? new XAttribute("typeRef", typeRef) : null)),
                    Logic(knowledge.Body, logicId)));
            element.Add(KnowledgeRequirements(References(knowledge.Body), knowledgeId));
            return element;
        }

        /// <summary>
        /// The model elements a decision or function body refers to, in name order: the names its texts use (as the
        /// compiler collects them) and the business knowledge models it calls. Texts are also read leniently so a
        /// reference inside a context or a call still counts when the strict parse of the whole text fails.
        /// </summary>
        private List<(string Id, ElementKind Kind)> References(DmnDecision decision)
        {
            var names = new HashSet<string>(DecisionReferences.Collect(decision, _names), StringComparer.Ordinal);
            foreach (var text in DecisionTexts.Of(decision))
            {
                FeelReferences.Collect(text.Text, text.IsTests, names);
            }

            names.Remove(decision.Name);
            return [.. names.Where(_byName.ContainsKey).Order(StringComparer.Ordinal).Select(n => _byName[n])];
        }

        /// <summary>
        /// A layered drawing of the requirements graph: each decision one layer above the highest decision it requires,
        /// input data in the row below the decisions and business knowledge models in the row below that.
        /// </summary>
        private XElement Diagram()
        {
            const int width = 180, height = 80, gapX = 60, gapY = 80, left = 160, top = 80;
            var layers = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var id in _decisionIds)
            {
                Layer(id, []);
            }

            var topLayer = layers.Count == 0 ? 0 : layers.Values.Max();
            var rows = new List<List<string>>();
            for (var layer = topLayer; layer >= 0; layer--)
            {
                rows.Add([.. _decisionIds.Where(id => layers.GetValueOrDefault(id) == layer)]);
            }

            rows.Add([.. _inputIds]);
            rows.Add([.. _knowledgeIds]);

            var bounds = new Dictionary<string, (int X, int Y)>(StringComparer.Ordinal);
            var diagram = new XElement(Dmndi + "DMNDiagram", new XAttribute("id", _ids.Take("", "DMNDiagram_1")));
            var y = top;
            foreach (var row in rows.Where(r => r.Count > 0))
            {
                for (var i = 0; i < row.Count; i++)
                {
                    var x = left + (i * (width + gapX));
                    bounds[row[i]] = (x, y);
                    diagram.Add(new XElement(Dmndi + "DMNShape", new XAttribute("id", _ids.Take("", $"DMNShape_{row[i]}")), new XAttribute("dmnElementRef", row[i]),
                        new XElement(Dc + "Bounds", new XAttribute("height", height), new XAttribute("width", width), new XAttribute("x", x), new XAttribute("y", y))));
                }

                y += height + gapY;
            }

            foreach (var (requirementId, from, to) in _edges)
            {
                if (!bounds.TryGetValue(from, out var source) || !bounds.TryGetValue(to, out var target))
                {
                    continue;
                }

                // From the source's edge that faces the target to the target's edge that faces the source.
                var below = source.Y > target.Y;
                diagram.Add(new XElement(Dmndi + "DMNEdge", new XAttribute("id", _ids.Take("", $"DMNEdge_{requirementId}")), new XAttribute("dmnElementRef", requirementId),
                    new XElement(Di + "waypoint", new XAttribute("x", source.X + (width / 2)), new XAttribute("y", below ? source.Y : source.Y + height)),
                    new XElement(Di + "waypoint", new XAttribute("x", target.X + (width / 2)), new XAttribute("y", below ? target.Y + height : target.Y))));
            }

            return new XElement(Dmndi + "DMNDI", diagram);

            int Layer(string id, HashSet<string> visiting)
            {
                if (layers.TryGetValue(id, out var known))
                {
                    return known;
                }

                if (!visiting.Add(id))
                {
                    return 0; // A cycle (refused at compile time) still gets drawn.
                }

                var layer = _requiredDecisions.GetValueOrDefault(id) is { Count: > 0 } required ? required.Max(r => Layer(r, visiting)) + 1 : 0;
                visiting.Remove(id);
                layers[id] = layer;
                return layer;
            }
        }

        private readonly record struct Edge(string RequirementId, string From, string To);
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

    /// <summary>Keeps ids unique and valid XML names; generated ids depend only on the model, so exports are stable.</summary>
    private sealed class IdAllocator
    {
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);

        public IdAllocator(DmnModel model)
        {
            // Every id the model keeps is taken before any is generated, so a generated id never collides with a kept one.
            _used.Add(model.Id);
            foreach (var decision in model.Decisions)
            {
                Reserve(decision);
            }

            foreach (var input in model.InputData)
            {
                _used.Add(input.Id);
            }

            foreach (var item in model.ItemDefinitions)
            {
                Reserve(item);
            }

            foreach (var knowledge in model.KnowledgeModels)
            {
                _used.Add(knowledge.Id);
                _used.UnionWith(knowledge.Parameters.Select(p => p.Id));
                Reserve(knowledge.Body);
            }

            _used.Remove("");
        }

        private void Reserve(ItemDefinition item)
        {
            _used.Add(item.Id);
            foreach (var component in item.Components)
            {
                Reserve(component);
            }
        }

        private void Reserve(DmnDecision decision)
        {
            _used.Add(decision.Id);
            switch (decision)
            {
                case LiteralExpressionDecision literal:
                    _used.Add(literal.ExpressionId);
                    break;
                case DecisionTableDefinition table:
                    _used.Add(table.TableId);
                    _used.UnionWith(table.Inputs.SelectMany(i => new[] { i.Id, i.ExpressionId }));
                    _used.UnionWith(table.Outputs.Select(o => o.Id));
                    _used.UnionWith(table.Rules.Select(r => r.Id));
                    break;
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
}
