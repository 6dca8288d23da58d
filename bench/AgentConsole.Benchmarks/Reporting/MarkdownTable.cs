using System.Text;

namespace AgentConsole.Benchmarks.Reporting;

/// <summary>A Markdown table padded into aligned columns, so the same text reads well on a terminal.</summary>
internal sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Columns whose cells are right-aligned (numbers).</summary>
    public HashSet<int> RightAligned { get; } = [];

    public MarkdownTable Row(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"Expected {headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(3, _rows.Select(r => r[i].Length).Append(h.Length).Max())).ToArray();
        var text = new StringBuilder();
        Line(headers);
        text.Append('|');
        for (var i = 0; i < widths.Length; i++)
        {
            text.Append(' ').Append(new string('-', widths[i] - 1)).Append(RightAligned.Contains(i) ? ':' : '-').Append(" |");
        }

        text.AppendLine();
        foreach (var row in _rows)
        {
            Line(row);
        }

        return text.ToString();

        void Line(string[] cells)
        {
            text.Append('|');
            for (var i = 0; i < cells.Length; i++)
            {
                var cell = RightAligned.Contains(i) ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]);
                text.Append(' ').Append(cell).Append(" |");
            }

            text.AppendLine();
        }
    }
}
