using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Runs.Pipeline;

/// <summary>
/// A rough token count (about four characters a token for English and JSON) for reserving budget before a call
/// and for providers that do not report usage. Usage computed this way is always marked as estimated.
/// </summary>
internal static class TokenEstimate
{
    public static long Count(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        long characters = 0;
        foreach (var message in messages)
        {
            characters += 4; // role and message framing
            foreach (var content in message.Contents)
            {
                characters += content switch
                {
                    TextContent t => t.Text?.Length ?? 0,
                    FunctionCallContent c => c.Name.Length + (c.Arguments is null ? 0 : JsonSerializer.Serialize(c.Arguments, AIJsonUtilities.DefaultOptions).Length),
                    FunctionResultContent r => r.Result switch
                    {
                        null => 0,
                        string s => s.Length,
                        var o => JsonSerializer.Serialize(o, AIJsonUtilities.DefaultOptions).Length,
                    },
                    _ => 0,
                };
            }
        }

        characters += options?.Instructions?.Length ?? 0;
        foreach (var tool in options?.Tools ?? [])
        {
            characters += tool.Name.Length + tool.Description.Length + (tool is AIFunctionDeclaration f ? f.JsonSchema.GetRawText().Length : 0);
        }

        return Tokens(characters);
    }

    public static long Count(ChatResponse response) => Math.Max(1, Count(response.Messages));

    public static long Tokens(long characters) => (characters + 3) / 4;
}
