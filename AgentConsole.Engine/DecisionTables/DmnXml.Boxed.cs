using System.Xml.Linq;

namespace AgentConsole.Engine.DecisionTables;

public static partial class DmnXml
{
    private sealed partial class Importer
    {
        /// <summary>
        /// Writes a boxed expression as the equivalent literal FEEL: an invocation as a call with named arguments
        /// (<c>PMT(p: Loan.amount, r: Loan.rate)</c>), a context as a context literal (its final entry without a name
        /// is the result: <c>{a: 1, b: a + 1, result: b * 2}.result</c>), a list as <c>[e1, e2]</c>, a relation as a list
        /// of contexts, and the DMN 1.4 boxed conditional, filter, iterator and quantifiers as their FEEL forms. Null,
        /// with an error naming the element, when a part (a decision table in a context, a function definition) has
        /// no FEEL text.
        /// </summary>
        private string? BoxedToFeel(XElement element, string owner)
        {
            switch (element.Name.LocalName)
            {
                case "literalExpression":
                    CheckLanguage(element, owner);
                    return Text(element) is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : "null";
                case "invocation":
                    return Invocation(element, owner);
                case "context":
                    return Context(element, owner);
                case "list":
                    return List(element.Elements().Where(IsExpression), owner);
                case "relation":
                    return Relation(element, owner);
                case "conditional":
                    return Parts(element, owner, ["if", "then", "else"], p => $"if {p[0]} then {p[1]} else {p[2]}");
                case "filter":
                    return Parts(element, owner, ["in", "match"], p => $"{Group(p[0])}[{p[1]}]");
                case "for":
                    return Parts(element, owner, ["in", "return"], p => $"for {Iterator(element)} in {Group(p[0])} return {p[1]}");
                case "some" or "every":
                    return Parts(element, owner, ["in", "satisfies"], p => $"{element.Name.LocalName} {Iterator(element)} in {Group(p[0])} satisfies {p[1]}");
                default:
                    var what = BoxedExpressions.TryGetValue(element.Name.LocalName, out var described) ? described
                        : element.Name.LocalName == "decisionTable" ? "a decision table" : $"a <{element.Name.LocalName}>";
                    Error($"{owner} holds {what} (<{element.Name.LocalName}>) inside a boxed expression, which has no literal FEEL form here; it was left out.", element);
                    return null;
            }
        }

        private bool IsExpression(XElement element) => element.Name.Namespace == ns
            && element.Name.LocalName is not ("description" or "extensionElements" or "variable" or "parameter" or "column" or "row" or "typeRef");

        private string? Invocation(XElement element, string owner)
        {
            var called = element.Elements().FirstOrDefault(e => e.Name == N("literalExpression"));
            if (Text(called)?.Trim() is not { Length: > 0 } function)
            {
                Error($"{owner} is an invocation that names no business knowledge model to call; it was left out.", element);
                return null;
            }

            var arguments = new List<(string Parameter, string Value)>();
            foreach (var binding in element.Elements(N("binding")))
            {
                var parameter = (string?)binding.Element(N("parameter"))?.Attribute("name");
                if (string.IsNullOrWhiteSpace(parameter))
                {
                    Error($"{owner} binds an argument of '{function}' without naming the parameter; it was left out.", binding);
                    return null;
                }

                var value = binding.Elements().FirstOrDefault(IsExpression) is { } expression ? BoxedToFeel(expression, owner) : "null";
                if (value is null)
                {
                    return null;
                }

                arguments.Add((parameter.Trim(), Argument(value)));
            }

            // Named arguments read best, but FEEL names cannot hold dots or dashes ("Person.Gender"); such a call is
            // written positionally in the order of the called model's formal parameters (an unbound one is null).
            if (arguments.All(a => IsPlainName(a.Parameter))
                || !_knowledgeParameters.TryGetValue(function, out var formal)
                || !arguments.All(a => formal.Contains(a.Parameter, StringComparer.Ordinal)))
            {
                return $"{function}({string.Join(", ", arguments.Select(a => $"{a.Parameter}: {a.Value}"))})";
            }

            return $"{function}({string.Join(", ", formal.Select(p => arguments.FirstOrDefault(a => a.Parameter == p).Value ?? "null"))})";
        }

        private string? Context(XElement element, string owner)
        {
            var entries = element.Elements(N("contextEntry")).ToList();
            var keys = new HashSet<string>(StringComparer.Ordinal);
            var text = new List<string>();
            string? result = null;
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                var key = (string?)entry.Element(N("variable"))?.Attribute("name");
                if (entry.Elements().FirstOrDefault(IsExpression) is not { } expression)
                {
                    Error($"{owner} has a context entry '{key ?? "(result)"}' without a value; it was left out.", entry);
                    return null;
                }

                if (BoxedToFeel(expression, owner) is not { } value)
                {
                    return null;
                }

                if (key is null)
                {
                    if (i != entries.Count - 1)
                    {
                        Error($"{owner} has a context entry without a name that is not the last one; only the final entry may be the context's result.", entry);
                        return null;
                    }

                    result = value;
                    continue;
                }

                keys.Add(key);
                text.Add($"{Key(key)}: {Argument(value)}");
            }

            if (result is null)
            {
                return "{" + string.Join(", ", text) + "}";
            }

            // The result entry gets a key no entry uses, so it sees every other entry and shadows none.
            var resultKey = "result";
            for (var n = 2; keys.Contains(resultKey); n++)
            {
                resultKey = $"result{n}";
            }

            text.Add($"{resultKey}: {Argument(result)}");
            return "{" + string.Join(", ", text) + "}." + resultKey;
        }

        private string? List(IEnumerable<XElement> items, string owner)
        {
            var text = new List<string>();
            foreach (var item in items)
            {
                if (BoxedToFeel(item, owner) is not { } value)
                {
                    return null;
                }

                text.Add(Argument(value));
            }

            return "[" + string.Join(", ", text) + "]";
        }

        private string? Relation(XElement element, string owner)
        {
            var columns = element.Elements(N("column")).Select(c => (string?)c.Attribute("name") ?? "").ToList();
            var rows = new List<string>();
            foreach (var row in element.Elements(N("row")))
            {
                var cells = row.Elements().Where(IsExpression).ToList();
                if (cells.Count != columns.Count)
                {
                    Error($"{owner} has a relation row with {cells.Count} cells for {columns.Count} columns; it was left out.", row);
                    return null;
                }

                var entries = new List<string>();
                for (var c = 0; c < cells.Count; c++)
                {
                    if (BoxedToFeel(cells[c], owner) is not { } value)
                    {
                        return null;
                    }

                    entries.Add($"{Key(columns[c])}: {Argument(value)}");
                }

                rows.Add("{" + string.Join(", ", entries) + "}");
            }

            return "[" + string.Join(", ", rows) + "]";
        }

        private string? Parts(XElement element, string owner, string[] names, Func<string[], string> compose)
        {
            var parts = new string[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                var part = element.Element(N(names[i]))?.Elements().FirstOrDefault(IsExpression);
                if (part is null)
                {
                    Error($"{owner} has a <{element.Name.LocalName}> without its <{names[i]}> part; it was left out.", element);
                    return null;
                }

                if (BoxedToFeel(part, owner) is not { } value)
                {
                    return null;
                }

                parts[i] = value;
            }

            return compose(parts);
        }

        private static string Iterator(XElement element) => ((string?)element.Attribute("iteratorVariable") ?? "item").Trim();
    }

    /// <summary>A context key as written in a context literal: the name itself, or a string literal when it holds FEEL punctuation.</summary>
    private static string Key(string name) =>
        IsPlainName(name) ? name : "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>A name FEEL reads as one name before a colon: letters, digits, spaces between words, <c>_ ? '</c>.</summary>
    private static bool IsPlainName(string name) => name.Length > 0 && !char.IsDigit(name[0]) && name.Trim() == name
        && name.All(c => char.IsLetterOrDigit(c) || c is ' ' or '_' or '?' or '\'');

    /// <summary>An expression placed between commas (an argument, a context entry, a list item), in parentheses when it holds a comma of its own.</summary>
    private static string Argument(string text) => HasTopLevelComma(text) ? $"({text})" : text;

    /// <summary>An expression used as an operand (a filtered list, an iteration's source), in parentheses unless it is a plain name or literal.</summary>
    private static string Group(string text) => text.All(c => char.IsLetterOrDigit(c) || c is '_' or '.') ? text : $"({text})";

    private static bool HasTopLevelComma(string text)
    {
        var depth = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']' or '}':
                    depth--;
                    break;
                case ',' when depth == 0:
                    return true;
            }
        }

        return false;
    }
}
