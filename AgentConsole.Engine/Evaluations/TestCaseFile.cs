using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// Cases as CSV (RFC 4180, a header row naming the columns) or JSON Lines, one case per line, the same fields both
/// ways. In CSV, JSON values are JSON text and lists are <c>;</c>-separated; a list whose items contain <c>;</c> is
/// written as a JSON array instead, so export → import gives back exactly the same cases.
/// </summary>
public static class TestCaseFile
{
    public static readonly IReadOnlyList<string> Columns =
        ["name", "kind", "input", "expectedDecisions", "mustCall", "mustNotCall", "mustEscalate", "expectRejected", "outputContains", "notes"];

    private static readonly string[] RequiredColumns = ["name", "input"];

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static string ContentType(TestCaseFileFormat format) => format == TestCaseFileFormat.Csv ? "text/csv" : "application/jsonl";

    public static string Extension(TestCaseFileFormat format) => format == TestCaseFileFormat.Csv ? "csv" : "jsonl";

    /// <summary>"csv", "jsonl" (or "jsonlines", "ndjson"), case-insensitive.</summary>
    public static bool TryParseFormat(string? text, out TestCaseFileFormat format)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "csv":
                format = TestCaseFileFormat.Csv;
                return true;
            case "jsonl" or "jsonlines" or "ndjson":
                format = TestCaseFileFormat.JsonLines;
                return true;
            default:
                format = default;
                return false;
        }
    }

    public static string Write(IEnumerable<TestCase> cases, TestCaseFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var text = new StringBuilder();
        if (format == TestCaseFileFormat.Csv)
        {
            text.Append(string.Join(',', Columns)).Append("\r\n");
            foreach (var c in cases)
            {
                string[] fields =
                [
                    c.Name, c.Kind.ToString(), c.InputJson, c.ExpectedDecisionsJson ?? "", List(c.MustCall), List(c.MustNotCall),
                    c.MustEscalate switch { true => "true", false => "false", null => "" }, c.ExpectRejected ? "true" : "false",
                    List(c.OutputContains), c.Notes ?? "",
                ];
                text.Append(string.Join(',', fields.Select(Quote))).Append("\r\n");
            }

            return text.ToString();
        }

        foreach (var c in cases)
        {
            var line = new JsonObject
            {
                ["name"] = c.Name,
                ["kind"] = c.Kind.ToString(),
                ["input"] = JsonNode.Parse(c.InputJson),
                ["expectedDecisions"] = c.ExpectedDecisionsJson is null ? null : JsonNode.Parse(c.ExpectedDecisionsJson),
                ["mustCall"] = Array(c.MustCall),
                ["mustNotCall"] = Array(c.MustNotCall),
                ["mustEscalate"] = c.MustEscalate,
                ["expectRejected"] = c.ExpectRejected,
                ["outputContains"] = Array(c.OutputContains),
                ["notes"] = c.Notes,
            };
            text.Append(line.ToJsonString(Compact)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Reads every line; the edits come with the line they start on. Any error is reported, none thrown.</summary>
    public static (List<(int Line, TestCaseEdit Edit)> Cases, List<TestCaseLineError> Errors) Read(string content, TestCaseFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(content);
        // A file saved by a spreadsheet often starts with a byte-order mark.
        content = content.TrimStart('\uFEFF');
        return format == TestCaseFileFormat.Csv ? ReadCsv(content) : ReadJsonLines(content);
    }

    private static (List<(int, TestCaseEdit)>, List<TestCaseLineError>) ReadJsonLines(string content)
    {
        var cases = new List<(int, TestCaseEdit)>();
        var errors = new List<TestCaseLineError>();
        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (JsonException e)
            {
                errors.Add(new(i + 1, $"not valid JSON: {e.Message}"));
                continue;
            }

            if (node is not JsonObject obj)
            {
                errors.Add(new(i + 1, "each line is one case, a JSON object such as {\"name\": \"...\", \"input\": {...}, \"mustEscalate\": false}."));
                continue;
            }

            var problems = new List<string>();
            var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in obj)
            {
                var column = Columns.FirstOrDefault(c => string.Equals(c, key, StringComparison.OrdinalIgnoreCase));
                if (column is null)
                {
                    problems.Add($"unknown field '{key}' (the fields are {string.Join(", ", Columns)})");
                    continue;
                }

                fields[column] = column switch
                {
                    "input" or "expectedDecisions" => value?.ToJsonString(),
                    "mustCall" or "mustNotCall" or "outputContains" => value is JsonArray ? value.ToJsonString() : Text(value),
                    _ => Text(value),
                };
            }

            Collect(i + 1, fields, problems, cases, errors);
        }

        return (cases, errors);
    }

    private static (List<(int, TestCaseEdit)>, List<TestCaseLineError>) ReadCsv(string content)
    {
        var cases = new List<(int, TestCaseEdit)>();
        var errors = new List<TestCaseLineError>();
        var records = CsvRecords(content, errors);
        if (errors.Count > 0)
        {
            return (cases, errors);
        }

        var rows = records.Where(r => !(r.Fields.Count == 1 && string.IsNullOrWhiteSpace(r.Fields[0]))).ToList();
        if (rows.Count == 0)
        {
            errors.Add(new(1, $"the file is empty; the first line names the columns: {string.Join(",", Columns)}."));
            return (cases, errors);
        }

        var header = rows[0];
        var columns = new List<string?>();
        foreach (var name in header.Fields)
        {
            var column = Columns.FirstOrDefault(c => string.Equals(c, name.Trim(), StringComparison.OrdinalIgnoreCase));
            if (column is null)
            {
                errors.Add(new(header.Line, $"unknown column '{name.Trim()}' (the columns are {string.Join(", ", Columns)})."));
            }

            columns.Add(column);
        }

        foreach (var missing in RequiredColumns.Where(c => !columns.Contains(c)))
        {
            errors.Add(new(header.Line, $"the header has no '{missing}' column; the first line names the columns: {string.Join(",", Columns)}."));
        }

        if (errors.Count > 0)
        {
            return (cases, errors);
        }

        foreach (var row in rows.Skip(1))
        {
            if (row.Fields.Count != columns.Count)
            {
                errors.Add(new(row.Line, $"{row.Fields.Count} values for {columns.Count} columns (a value with a comma, quote or line break is written in double quotes)."));
                continue;
            }

            var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            for (var c = 0; c < columns.Count; c++)
            {
                fields[columns[c]!] = row.Fields[c];
            }

            Collect(row.Line, fields, [], cases, errors);
        }

        return (cases, errors);
    }

    /// <summary>Turns one line's fields into an edit; what cannot be read becomes the line's error.</summary>
    private static void Collect(int line, Dictionary<string, string?> fields, List<string> problems, List<(int, TestCaseEdit)> cases, List<TestCaseLineError> errors)
    {
        string? Field(string name) => fields.TryGetValue(name, out var v) ? v : null;

        var edit = new TestCaseEdit
        {
            Name = Field("name"),
            InputJson = Field("input"),
            ExpectedDecisionsJson = Field("expectedDecisions"),
            Notes = Field("notes"),
            MustCall = ReadList(Field("mustCall"), "mustCall", problems),
            MustNotCall = ReadList(Field("mustNotCall"), "mustNotCall", problems),
            OutputContains = ReadList(Field("outputContains"), "outputContains", problems),
        };

        var kind = Field("kind");
        if (string.IsNullOrWhiteSpace(kind))
        {
            edit.Kind = TestCaseKind.Synthetic;
        }
        else if (Enum.TryParse<TestCaseKind>(kind.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(kind, out _))
        {
            edit.Kind = parsed;
        }
        else
        {
            problems.Add($"kind '{kind}' is not one of {string.Join(", ", Enum.GetNames<TestCaseKind>())}");
        }

        edit.MustEscalate = Field("mustEscalate")?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "true" or "yes" => true,
            "false" or "no" => false,
            var other => Problem<bool?>($"mustEscalate '{other}' is true, false or empty (not checked)", null),
        };
        edit.ExpectRejected = Field("expectRejected")?.Trim().ToLowerInvariant() switch
        {
            null or "" or "false" or "no" => false,
            "true" or "yes" => true,
            var other => Problem($"expectRejected '{other}' is true or false", false),
        };

        if (problems.Count > 0)
        {
            errors.Add(new(line, string.Join("; ", problems) + "."));
            return;
        }

        cases.Add((line, edit));

        T Problem<T>(string message, T value)
        {
            problems.Add(message);
            return value;
        }
    }

    private static List<string> ReadList(string? text, string field, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var trimmed = text.Trim();
        if (trimmed.StartsWith('['))
        {
            try
            {
                return JsonSerializer.Deserialize<List<string>>(trimmed) ?? [];
            }
            catch (JsonException)
            {
                problems.Add($"{field} is a list of texts: a;b;c or a JSON array of strings");
                return [];
            }
        }

        return [.. trimmed.Split(';')];
    }

    private static string? Text(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    private static string List(List<string> items) =>
        items.Exists(i => i.Contains(';', StringComparison.Ordinal) || i.StartsWith('['))
            ? JsonSerializer.Serialize(items)
            : string.Join(';', items);

    private static JsonArray Array(List<string> items) => new([.. items.Select(i => (JsonNode?)i)]);

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\r', '\n']) >= 0 || (field.Length > 0 && (char.IsWhiteSpace(field[0]) || char.IsWhiteSpace(field[^1])))
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;

    private sealed record CsvRecord(int Line, List<string> Fields);

    /// <summary>RFC 4180: fields separated by commas, records by line breaks; a quoted field may hold both, "" is a quote.</summary>
    private static List<CsvRecord> CsvRecords(string content, List<TestCaseLineError> errors)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var wasQuoted = false;
        for (var i = 0; i < content.Length; i++)
        {
            var ch = content[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < content.Length && content[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0 && !wasQuoted:
                    quoted = wasQuoted = true;
                    break;
                case '"':
                    errors.Add(new(line, "a quote inside a value that does not start with a quote; write the whole value in double quotes and double the quotes inside it (\"\")."));
                    return records;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    wasQuoted = false;
                    break;
                case '\r' when i + 1 < content.Length && content[i + 1] == '\n':
                    break;
                case '\r' or '\n':
                    fields.Add(field.ToString());
                    records.Add(new(recordLine, [.. fields]));
                    fields.Clear();
                    field.Clear();
                    wasQuoted = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    if (wasQuoted)
                    {
                        errors.Add(new(line, "text after a closing quote; a quoted value ends at its closing quote, followed by a comma or the end of the line."));
                        return records;
                    }

                    field.Append(ch);
                    break;
            }
        }

        if (quoted)
        {
            errors.Add(new(recordLine, "a quoted value is never closed."));
            return records;
        }

        if (field.Length > 0 || fields.Count > 0 || wasQuoted)
        {
            fields.Add(field.ToString());
            records.Add(new(recordLine, [.. fields]));
        }

        return records;
    }
}
