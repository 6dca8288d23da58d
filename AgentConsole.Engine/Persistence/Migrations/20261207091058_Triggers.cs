using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Triggers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "TriggerEventId",
                table: "Runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TriggerKey",
                table: "Runs",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TriggerEvents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TriggerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TriggerKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Matched = table.Column<bool>(type: "INTEGER", nullable: false),
                    PayloadJson = table.Column<string>(type: "TEXT", nullable: true),
                    DedupKey = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DuplicateOf = table.Column<Guid>(type: "TEXT", nullable: true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TriggerEvents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Triggers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AgentKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    FilterJson = table.Column<string>(type: "TEXT", nullable: true),
                    MappingJson = table.Column<string>(type: "TEXT", nullable: true),
                    SettingsJson = table.Column<string>(type: "TEXT", nullable: false),
                    SecretsProtected = table.Column<string>(type: "TEXT", nullable: true),
                    DedupField = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DedupWindowMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    Cursor = table.Column<string>(type: "TEXT", nullable: true),
                    LastCheckedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LastErrorAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConsecutiveFailures = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Triggers", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_TriggerEventId",
                table: "Runs",
                column: "TriggerEventId",
                unique: true,
                filter: "\"TriggerEventId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_TriggerKey_CreatedAt",
                table: "Runs",
                columns: new[] { "TriggerKey", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TriggerEvents_Status",
                table: "TriggerEvents",
                column: "Status",
                filter: "\"Status\" = 'Received'");

            migrationBuilder.CreateIndex(
                name: "IX_TriggerEvents_TriggerId_Day",
                table: "TriggerEvents",
                columns: new[] { "TriggerId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_TriggerEvents_TriggerId_DedupKey",
                table: "TriggerEvents",
                columns: new[] { "TriggerId", "DedupKey" },
                unique: true,
                filter: "\"DedupKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_TriggerEvents_TriggerId_ReceivedAt",
                table: "TriggerEvents",
                columns: new[] { "TriggerId", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Triggers_AgentKey",
                table: "Triggers",
                column: "AgentKey");

            migrationBuilder.CreateIndex(
                name: "IX_Triggers_Key",
                table: "Triggers",
                column: "Key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TriggerEvents");

            migrationBuilder.DropTable(
                name: "Triggers");

            migrationBuilder.DropIndex(
                name: "IX_Runs_TriggerEventId",
                table: "Runs");

            migrationBuilder.DropIndex(
                name: "IX_Runs_TriggerKey_CreatedAt",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "TriggerEventId",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "TriggerKey",
                table: "Runs");
        }
    }
}
