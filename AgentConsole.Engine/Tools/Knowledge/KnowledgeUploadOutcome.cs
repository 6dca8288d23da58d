namespace AgentConsole.Engine.Tools.Knowledge;

public enum KnowledgeUploadOutcome
{
    Saved,

    /// <summary>Wrong extension, empty, not UTF-8, binary, missing name: see the errors.</summary>
    Invalid,

    /// <summary>Larger than <see cref="KnowledgeOptions.MaxDocumentBytes"/>.</summary>
    TooLarge,

    /// <summary>The same text is already in this knowledge base.</summary>
    Duplicate,

    /// <summary>The knowledge base holds <see cref="KnowledgeOptions.MaxDocumentsPerAgent"/> documents.</summary>
    Full,

    AgentNotFound,
}
