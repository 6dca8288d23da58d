namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// Bounds the work one evaluation may do. Loops, ranges and list building spend from a per-thread budget that every
/// evaluation starts afresh; knowledge-model calls nest at most <see cref="MaxCallDepth"/> deep. Past either limit the
/// expression yields null instead of exhausting memory or the stack, which would end the whole process.
/// </summary>
internal static class FeelBudget
{
    /// <summary>Loop iterations and list items one evaluation may produce; real decisions use a few hundred.</summary>
    public const long MaxSteps = 1_000_000;

    /// <summary>How deeply knowledge models may call each other (or themselves).</summary>
    public const int MaxCallDepth = 64;

    [ThreadStatic]
    private static long t_remaining;

    [ThreadStatic]
    private static int t_depth;

    [ThreadStatic]
    private static string? t_exceeded;

    /// <summary>Why the current evaluation was cut short, or null while it is within its limits.</summary>
    public static string? Exceeded => t_exceeded;

    /// <summary>Starts an evaluation's budget. Nested evaluations (a knowledge model's body) keep their caller's.</summary>
    public static void Reset()
    {
        if (t_depth == 0)
        {
            t_remaining = MaxSteps;
            t_exceeded = null;
        }
    }

    /// <summary>False once the evaluation has used its budget.</summary>
    public static bool Spend(long steps)
    {
        t_remaining -= steps;
        if (t_remaining >= 0)
        {
            return true;
        }

        t_exceeded ??= $"The evaluation stopped: its loops and lists went past {MaxSteps:N0} steps.";
        return false;
    }

    public static bool Enter()
    {
        if (t_depth >= MaxCallDepth)
        {
            t_exceeded ??= $"The evaluation stopped: knowledge models called each other more than {MaxCallDepth} deep.";
            return false;
        }

        t_depth++;
        return true;
    }

    public static void Leave() => t_depth--;
}
