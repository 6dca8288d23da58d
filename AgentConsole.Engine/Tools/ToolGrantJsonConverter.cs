using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentConsole.Engine.Tools;

/// <summary>
/// Reads a grant as <c>{"key": "crm_get_lead", "scope": "read"}</c> or, as API clients wrote before grants had a
/// scope, as a bare tool key (then the scope is the tool's own access, decided when the grant is validated).
/// </summary>
public sealed class ToolGrantJsonConverter : JsonConverter<ToolGrant>
{
    public override ToolGrant? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return new ToolGrant { Tool = reader.GetString() ?? "", Scope = ToolScope.Write };
            case JsonTokenType.StartObject:
                var grant = new ToolGrant();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    if (reader.TokenType != JsonTokenType.PropertyName)
                    {
                        throw new JsonException("A tool grant is an object with 'key' and 'scope'.");
                    }

                    var name = reader.GetString();
                    reader.Read();
                    if (string.Equals(name, "key", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "tool", StringComparison.OrdinalIgnoreCase))
                    {
                        grant.Tool = reader.TokenType == JsonTokenType.String ? reader.GetString() ?? "" : throw new JsonException("A tool grant's 'key' is a string.");
                    }
                    else if (string.Equals(name, "scope", StringComparison.OrdinalIgnoreCase))
                    {
                        var scope = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        grant.Scope = Enum.TryParse<ToolScope>(scope, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                            ? parsed
                            : throw new JsonException("A tool grant's 'scope' is \"read\" or \"write\".");
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                return grant;
            default:
                throw new JsonException("A tool grant is an object with 'key' and 'scope', or a tool key.");
        }
    }

    public override void Write(Utf8JsonWriter writer, ToolGrant value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("key", value.Tool);
        writer.WriteString("scope", value.Scope == ToolScope.Read ? "read" : "write");
        writer.WriteEndObject();
    }
}
