using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Engine.Persistence.Migrations
{
    /// <summary>
    /// Rewrites every DateTimeOffset column from EF Core's DateTimeOffsetToBinaryConverter encoding to UTC ticks
    /// (<see cref="UtcTicksConverter"/>). The model's column types do not change (both are INTEGER), so this migration
    /// is only data. The audit tables are not listed: they have always stored UTC ticks.
    /// </summary>
    public partial class UtcTimestamps : Migration
    {
        /// <summary>
        /// Every column that held the binary encoding. A DateTimeOffset column added by a migration ordered before this
        /// one, with values in it, must be listed here too; one added after it is written as UTC ticks from the start.
        /// </summary>
        public static readonly IReadOnlyList<(string Table, string Column)> Columns =
        [
            ("Agents", "CreatedAt"), ("Agents", "UpdatedAt"),
            ("ApiKeys", "CreatedAt"), ("ApiKeys", "LastUsedAt"), ("ApiKeys", "RevokedAt"),
            ("AspNetUsers", "CreatedAt"), ("AspNetUsers", "LockoutEnd"),
            ("Decisions", "CreatedAt"), ("Decisions", "UpdatedAt"),
            ("DecisionVersions", "CreatedAt"), ("DecisionVersions", "UpdatedAt"), ("DecisionVersions", "PublishedAt"), ("DecisionVersions", "RetiredAt"),
            ("DecisionTestCases", "CreatedAt"),
            ("Escalations", "CreatedAt"), ("Escalations", "ResolvedAt"),
            ("Runs", "CreatedAt"), ("Runs", "StartedAt"), ("Runs", "CompletedAt"), ("Runs", "UpdatedAt"), ("Runs", "LeaseExpiresAt"),
            ("RunSteps", "At"),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The binary encoding is ((local clock ticks / 1000) << 11) | (offset minutes & 0x7FF), the offset a signed
            // 11-bit number. UTC ticks = local ticks - offset minutes × 600,000,000 (ticks per minute). SQLite's >> is
            // arithmetic and its integers are 64-bit, as the encoding needs.
            foreach (var (table, column) in Columns)
            {
                var c = $"\"{column}\"";
                migrationBuilder.Sql(
                    $"UPDATE \"{table}\" SET {c} = (({c} >> 11) * 1000) - " +
                    $"((CASE WHEN ({c} & 2047) >= 1024 THEN ({c} & 2047) - 2048 ELSE ({c} & 2047) END) * 600000000) " +
                    $"WHERE {c} IS NOT NULL;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to the binary encoding with offset zero, the same instants; it keeps 0.1 ms precision only.
            foreach (var (table, column) in Columns)
            {
                migrationBuilder.Sql($"UPDATE \"{table}\" SET \"{column}\" = ((\"{column}\" / 1000) << 11) WHERE \"{column}\" IS NOT NULL;");
            }
        }
    }
}
