namespace AgentConsole.Engine;

/// <summary>
/// A setting that cannot be used, with what it should look like. The host prints <see cref="Exception.Message"/>
/// as one line and stops instead of showing a stack trace, so the message names the setting and the expected form.
/// </summary>
public sealed class InvalidConfigurationException : Exception
{
    public InvalidConfigurationException()
    {
    }

    public InvalidConfigurationException(string message)
        : base(message)
    {
    }

    public InvalidConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
