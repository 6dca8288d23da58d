using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Monitoring : Migration
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

            migrationBuilder.AddColumn<long>(
                name: "AlertId",
                table: "NotificationDeliveries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AgentScopings",
                columns: table => new
                {
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    HourlyRateUsd = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: false),
                    HoursPerWeek = table.Column<decimal>(type: "TEXT", precision: 6, scale: 2, nullable: false),
                    WeeklyVolume = table.Column<int>(type: "INTEGER", nullable: false),
                    ManualMinutesPerCase = table.Column<decimal>(type: "TEXT", precision: 10, scale: 2, nullable: true),
                    ReviewMinutesPerEscalation = table.Column<decimal>(type: "TEXT", precision: 10, scale: 2, nullable: true),
                    PilotStart = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgentScopings", x => x.AgentKey);
                });

            migrationBuilder.CreateTable(
                name: "AlertRules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    ParametersJson = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Channels = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    LastEvaluatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    LastErrorAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Alerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RuleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RuleName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Value = table.Column<double>(type: "REAL", nullable: false),
                    Threshold = table.Column<double>(type: "REAL", nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    FiredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AcknowledgedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AcknowledgedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Alerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RunDurationDays",
                columns: table => new
                {
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DayStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Bucket = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunDurationDays", x => new { x.DayStart, x.AgentKey, x.Bucket });
                });

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
                name: "IX_NotificationDeliveries_AlertId",
                table: "NotificationDeliveries",
                column: "AlertId");

            migrationBuilder.CreateIndex(
                name: "IX_AlertRules_Name",
                table: "AlertRules",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_AgentKey_Id",
                table: "Alerts",
                columns: new[] { "AgentKey", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_RuleId_Subject",
                table: "Alerts",
                columns: new[] { "RuleId", "Subject" },
                unique: true,
                filter: "\"Status\" = 'Firing'");

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_Status_Id",
                table: "Alerts",
                columns: new[] { "Status", "Id" });

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
                name: "AgentScopings");

            migrationBuilder.DropTable(
                name: "AlertRules");

            migrationBuilder.DropTable(
                name: "Alerts");

            migrationBuilder.DropTable(
                name: "RunDurationDays");

            migrationBuilder.DropTable(
                name: "RunDurationRollups");

            migrationBuilder.DropTable(
                name: "RunRollupDeltas");

            migrationBuilder.DropTable(
                name: "RunRollups");

            migrationBuilder.DropIndex(
                name: "IX_NotificationDeliveries_AlertId",
                table: "NotificationDeliveries");

            migrationBuilder.DropColumn(
                name: "EscalationCount",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "AlertId",
                table: "NotificationDeliveries");
        }
    }
}
