namespace AgentConsole.Engine.Prompts;

/// <summary>
/// A line diff by longest common subsequence, after trimming the common head and tail (edits to a prompt are usually
/// local, so what is left to compare is small). Past <see cref="MaxCells"/> the middle is shown as replaced wholesale
/// rather than spending seconds on a perfect alignment.
/// </summary>
public static class LineDiff
{
    public const int MaxCells = 4_000_000;

    public static IReadOnlyList<DiffLine> Compare(string oldText, string newText)
    {
        ArgumentNullException.ThrowIfNull(oldText);
        ArgumentNullException.ThrowIfNull(newText);
        var a = Lines(oldText);
        var b = Lines(newText);
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)])
        {
            tail++;
        }

        var result = new List<DiffLine>(a.Length + b.Length);
        for (var i = 0; i < head; i++)
        {
            result.Add(new(DiffLineKind.Same, a[i], i + 1, i + 1));
        }

        Middle(a, b, head, a.Length - tail, b.Length - tail, result);
        for (var k = tail; k > 0; k--)
        {
            int i = a.Length - k, j = b.Length - k;
            result.Add(new(DiffLineKind.Same, a[i], i + 1, j + 1));
        }

        return result;
    }

    /// <summary>Pairs each run of removed lines with the added lines that follow it, row by row.</summary>
    public static IReadOnlyList<DiffRow> SideBySide(IReadOnlyList<DiffLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var rows = new List<DiffRow>(lines.Count);
        var removed = new List<DiffLine>();
        var added = new List<DiffLine>();
        foreach (var line in lines)
        {
            if (line.Kind == DiffLineKind.Same)
            {
                Flush(rows, removed, added);
                rows.Add(new(line, line));
            }
            else
            {
                (line.Kind == DiffLineKind.Removed ? removed : added).Add(line);
            }
        }

        Flush(rows, removed, added);
        return rows;
    }

    private static void Flush(List<DiffRow> rows, List<DiffLine> removed, List<DiffLine> added)
    {
        for (var i = 0; i < Math.Max(removed.Count, added.Count); i++)
        {
            rows.Add(new(i < removed.Count ? removed[i] : null, i < added.Count ? added[i] : null));
        }

        removed.Clear();
        added.Clear();
    }

    private static void Middle(string[] a, string[] b, int start, int aEnd, int bEnd, List<DiffLine> result)
    {
        int n = aEnd - start, m = bEnd - start;
        if ((long)n * m > MaxCells || n == 0 || m == 0)
        {
            for (var i = start; i < aEnd; i++)
            {
                result.Add(new(DiffLineKind.Removed, a[i], i + 1, null));
            }

            for (var j = start; j < bEnd; j++)
            {
                result.Add(new(DiffLineKind.Added, b[j], null, j + 1));
            }

            return;
        }

        // lcs[i, j]: length of the longest common subsequence of a[start+i..aEnd) and b[start+j..bEnd).
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = a[start + i] == b[start + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[start + x] == b[start + y])
            {
                result.Add(new(DiffLineKind.Same, a[start + x], start + x + 1, start + y + 1));
                x++;
                y++;
            }
            else if (y < m && (x == n || lcs[x, y + 1] > lcs[x + 1, y]))
            {
                result.Add(new(DiffLineKind.Added, b[start + y], null, start + y + 1));
                y++;
            }
            else
            {
                result.Add(new(DiffLineKind.Removed, a[start + x], start + x + 1, null));
                x++;
            }
        }
    }

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
}
