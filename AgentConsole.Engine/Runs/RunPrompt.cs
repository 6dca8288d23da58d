using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// The one user message a run sends to the model: the trigger input and the decision results as headed,
/// fenced JSON blocks, and the reviewer's guidance when a run resumes. The same text is read back by the
/// offline model, so the format is a contract between the executor and <see cref="Models.OfflineChatClient"/>.
/// </summary>
public static class RunPrompt
{
    public const string InputHeading = "Trigger input:";
    public const string FactsHeading = "Decision results (facts; routes already enforced by the engine):";
    public const string GuidanceHeading = "Reviewer guidance:";

    private const string Fence = "```";

    private static readonly System.Buffers.SearchValues<char> NotInPlaceholder = System.Buffers.SearchValues.Create("\"\n{}[],");

    // Relaxed escaping keeps names like "Müller" and placeholders like <EMAIL_1> readable for the model
    // and findable for the redaction layer; the text is never embedded in HTML.
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string BuildUserMessage(JsonObject input, JsonObject facts, string? guidance = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(facts);

        var text = new StringBuilder()
            .Append(InputHeading).Append('\n')
            .Append(Fence).Append("json\n").Append(input.ToJsonString(Indented)).Append('\n').Append(Fence)
            .Append("\n\n")
            .Append(FactsHeading).Append('\n')
            .Append(Fence).Append("json\n").Append(facts.ToJsonString(Indented)).Append('\n').Append(Fence);

        if (!string.IsNullOrWhiteSpace(guidance))
        {
            text.Append("\n\n").Append(GuidanceHeading).Append('\n').Append(guidance.Trim());
        }

        return text.ToString();
    }

    /// <summary>
    /// Reads the blocks back. The input block is required; a message without the decision-results block
    /// reads as having no facts. Redaction may have replaced values by placeholders such as &lt;EMAIL_1&gt;,
    /// inside the quotes or, for numbers, as bare tokens; both read back as strings.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out JsonObject? input, [NotNullWhen(true)] out JsonObject? facts)
    {
        input = null;
        facts = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var inputAt = FindHeading(text, InputHeading, 0);
        if (inputAt < 0 || !TryReadBlock(text, inputAt + InputHeading.Length, out var inputJson, out var afterInput)
            || ParseObject(inputJson) is not { } parsedInput)
        {
            return false;
        }

        var factsAt = FindHeading(text, "Decision results", afterInput);
        JsonObject parsedFacts;
        if (factsAt < 0)
        {
            parsedFacts = [];
        }
        else
        {
            var headingEnd = text.IndexOf('\n', factsAt);
            if (headingEnd < 0 || !TryReadBlock(text, headingEnd, out var factsJson, out _)
                || ParseObject(factsJson) is not { } read)
            {
                return false;
            }

            parsedFacts = read;
        }

        input = parsedInput;
        facts = parsedFacts;
        return true;
    }

    /// <summary>The reviewer's guidance in a message built by <see cref="BuildUserMessage"/>, or null.</summary>
    public static string? ReadGuidance(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var at = FindHeading(text, GuidanceHeading, 0);
        if (at < 0)
        {
            return null;
        }

        var guidance = text[(at + GuidanceHeading.Length)..].Trim();
        return guidance.Length == 0 ? null : guidance;
    }

    // Headings count only at the start of a line, so the same words inside a JSON value do not.
    private static int FindHeading(string text, string heading, int from)
    {
        var at = from;
        while ((at = text.IndexOf(heading, at, StringComparison.Ordinal)) >= 0)
        {
            if (at == 0 || text[at - 1] == '\n')
            {
                return at;
            }

            at += heading.Length;
        }

        return -1;
    }

    // Indented JSON escapes newlines inside strings, so a line that starts with ``` always closes the block.
    private static bool TryReadBlock(string text, int from, out string json, out int after)
    {
        json = "";
        after = from;
        var open = text.IndexOf(Fence, from, StringComparison.Ordinal);
        if (open < 0 || text.AsSpan(from, open - from).Trim().Length != 0)
        {
            return false;
        }

        var bodyStart = text.IndexOf('\n', open);
        if (bodyStart < 0)
        {
            return false;
        }

        var close = text.IndexOf("\n" + Fence, bodyStart, StringComparison.Ordinal);
        if (close < 0)
        {
            return false;
        }

        json = text[(bodyStart + 1)..close];
        after = close + 1 + Fence.Length;
        return true;
    }

    private static JsonObject? ParseObject(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
        }

        try
        {
            return JsonNode.Parse(QuoteBarePlaceholders(json)) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // A redactor that replaced a number (a card or social security number typed as digits) leaves
    // a bare <CARD_1> where JSON wants a value; quoting it keeps the rest of the block readable.
    private static string QuoteBarePlaceholders(string json)
    {
        var result = new StringBuilder(json.Length + 16);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                result.Append(c);
                if (c == '\\' && i + 1 < json.Length)
                {
                    result.Append(json[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
                result.Append(c);
                continue;
            }

            if (c == '<')
            {
                var end = json.IndexOf('>', i);
                if (end > i && json.AsSpan(i + 1, end - i - 1).IndexOfAny(NotInPlaceholder) < 0)
                {
                    result.Append('"').Append(json, i, end - i + 1).Append('"');
                    i = end;
                    continue;
                }
            }

            result.Append(c);
        }

        return result.ToString();
    }
}
