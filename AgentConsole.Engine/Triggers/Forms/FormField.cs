namespace AgentConsole.Engine.Triggers.Forms;

/// <summary>
/// One field of a public web form: its payload name, the label visitors see, its type (<see cref="Types"/>), whether
/// it must be filled in and, for a select, the options offered.
/// </summary>
public sealed record FormField(string Name, string Label, string Type, bool Required = false, IReadOnlyList<string>? Options = null)
{
    public const string Text = "text";
    public const string Email = "email";
    public const string Number = "number";
    public const string Textarea = "textarea";
    public const string Select = "select";
    public const string Checkbox = "checkbox";

    public static readonly IReadOnlyList<string> Types = [Text, Email, Number, Textarea, Select, Checkbox];

    public IReadOnlyList<string> Choices => Options ?? [];

    /// <summary>The longest value a visitor may enter; the browser is told too (maxlength), the server checks.</summary>
    public int MaxLength => Type switch
    {
        Textarea => 5_000,
        Email => 254,
        Number => 40,
        _ => 500,
    };
}
