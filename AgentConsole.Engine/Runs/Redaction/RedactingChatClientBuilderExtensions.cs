using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Runs.Redaction;

public static class RedactingChatClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="RedactingChatClient"/>. Call it after <c>UseFunctionInvocation()</c> so it sits between function
    /// invocation and the provider: tools then get real values and tool results are redacted on their way to the model.
    /// </summary>
    public static ChatClientBuilder UseRedaction(this ChatClientBuilder builder, Redactor defaultRedactor)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(defaultRedactor);
        return builder.Use(inner => new RedactingChatClient(inner, defaultRedactor));
    }
}
