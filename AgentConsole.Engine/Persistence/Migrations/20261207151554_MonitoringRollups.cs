using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MonitoringRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "EscalationCount",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Runs from before the counter: how many cases each handed to people. The rollups themselves are rebuilt
            // from the runs at the next start (RollupFoldService finds runs but no rollups).
            migrationBuilder.Sql("UPDATE \"Runs\" SET \"EscalationCount\" = (SELECT COUNT(*) FROM \"Escalations\" WHERE \"Escalations\".\"RunId\" = \"Runs\".\"Id\");");

            migrationBuilder.CreateTable(
                name: "RunDurationRollups",
                columns: table => new
                {
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    HourStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Bucket = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunDurationRollups", x => new { x.HourStart, x.AgentKey, x.Bucket });
                });

            migrationBuilder.CreateTable(
                name: "RunRollupDeltas",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    HourStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Weight = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Escalated = table.Column<bool>(type: "INTEGER", nullable: false),
                    Estimated = table.Column<bool>(type: "INTEGER", nullable: false),
                    CostUsd = table.Column<decimal>(type: "TEXT", precision: 18, scale: 8, nullable: false),
                    InputTokens = table.Column<long>(type: "INTEGER", nullable: false),
                    OutputTokens = table.Column<long>(type: "INTEGER", nullable: false),
                    ActiveMilliseconds = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunRollupDeltas", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RunRollups",
                columns: table => new
                {
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    HourStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Ended = table.Column<int>(type: "INTEGER", nullable: false),
                    Succeeded = table.Column<int>(type: "INTEGER", nullable: false),
                    Failed = table.Column<int>(type: "INTEGER", nullable: false),
                    Cancelled = table.Column<int>(type: "INTEGER", nullable: false),
                    HandledByHuman = table.Column<int>(type: "INTEGER", nullable: false),
                    Escalated = table.Column<int>(type: "INTEGER", nullable: false),
                    CostUsd = table.Column<decimal>(type: "TEXT", precision: 18, scale: 8, nullable: false),
                    EstimatedCostUsd = table.Column<decimal>(type: "TEXT", precision: 18, scale: 8, nullable: false),
                    InputTokens = table.Column<long>(type: "INTEGER", nullable: false),
                    OutputTokens = table.Column<long>(type: "INTEGER", nullable: false),
                    ActiveMilliseconds = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunRollups", x => new { x.HourStart, x.AgentKey });
                });

            migrationBuilder.CreateIndex(
                name: "IX_RunRollupDeltas_HourStart",
                table: "RunRollupDeltas",
                column: "HourStart");

            migrationBuilder.CreateIndex(
                name: "IX_RunRollups_AgentKey_HourStart",
                table: "RunRollups",
                columns: new[] { "AgentKey", "HourStart" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RunDurationRollups");

            migrationBuilder.DropTable(
                name: "RunRollupDeltas");

            migrationBuilder.DropTable(
                name: "RunRollups");

            migrationBuilder.DropColumn(
                name: "EscalationCount",
                table: "Runs");
        }
    }
}
