using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Evaluations;

/// <summary>Test sets (section <c>AgentConsole:TestSets</c>).</summary>
public sealed class TestSetOptions
{
    public const string Section = "AgentConsole:TestSets";

    /// <summary>
    /// Most cases one set may hold. The practice guide asks for 50 to 200; an evaluation runs every case, so a set far
    /// beyond that costs more to evaluate than it teaches.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxCasesPerSet { get; set; } = 1_000;

    /// <summary>Cases per page on the Tests page and the API's default page size.</summary>
    [Range(1, 500)]
    public int PageSize { get; set; } = 25;
}
