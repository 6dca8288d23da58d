using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class EscalationReviewQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ChoicesJson",
                table: "Escalations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ChosenValue",
                table: "Escalations",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ClaimExpiresAt",
                table: "Escalations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ClaimedAt",
                table: "Escalations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClaimedBy",
                table: "Escalations",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "CostSoFarUsd",
                table: "Escalations",
                type: "TEXT",
                precision: 18,
                scale: 8,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "DefaultAction",
                table: "Escalations",
                type: "TEXT",
                maxLength: 24,
                nullable: false,
                // Escalations raised before policies existed keep the old behaviour: they wait for a person.
                defaultValue: "Hold");

            migrationBuilder.AddColumn<long>(
                name: "DueAt",
                table: "Escalations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EditedArguments",
                table: "Escalations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Holds",
                table: "Escalations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "RemindAt",
                table: "Escalations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RemindedAt",
                table: "Escalations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Resolution",
                table: "Escalations",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResolvedVia",
                table: "Escalations",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "StepsSoFar",
                table: "Escalations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Escalations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "EscalationPolicy",
                table: "Agents",
                type: "TEXT",
                nullable: false,
                defaultValue: "{\"escalateToolFailures\":true,\"escalateLimits\":true,\"allowAgentRequests\":true,\"escalateGuardrailViolations\":true,\"approvalTools\":[],\"lowConfidenceBelow\":null,\"reviewerRoles\":[\"Reviewer\",\"Owner\"],\"reviewers\":[],\"slaMinutes\":240,\"reminderMinutesBefore\":30,\"defaultAction\":\"Hold\",\"channels\":[],\"fourEyes\":true,\"maxLimitGrants\":2}");

            migrationBuilder.CreateTable(
                name: "NotificationChannels",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    SettingsJson = table.Column<string>(type: "TEXT", nullable: false),
                    ProtectedSecrets = table.Column<string>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationChannels", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NotificationDeliveries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ChannelKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EscalationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Event = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    Link = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Recipients = table.Column<string>(type: "TEXT", nullable: true),
                    AgentName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationDeliveries", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Escalations_AgentKey_CreatedAt",
                table: "Escalations",
                columns: new[] { "AgentKey", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Escalations_Status_DueAt",
                table: "Escalations",
                columns: new[] { "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_NotificationChannels_Key",
                table: "NotificationChannels",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveries_ChannelKey_CreatedAt",
                table: "NotificationDeliveries",
                columns: new[] { "ChannelKey", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveries_EscalationId",
                table: "NotificationDeliveries",
                column: "EscalationId");

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveries_Status_NextAttemptAt",
                table: "NotificationDeliveries",
                columns: new[] { "Status", "NextAttemptAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "NotificationChannels");

            migrationBuilder.DropTable(
                name: "NotificationDeliveries");

            migrationBuilder.DropIndex(
                name: "IX_Escalations_AgentKey_CreatedAt",
                table: "Escalations");

            migrationBuilder.DropIndex(
                name: "IX_Escalations_Status_DueAt",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "ChoicesJson",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "ChosenValue",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "ClaimExpiresAt",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "ClaimedAt",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "ClaimedBy",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "CostSoFarUsd",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "DefaultAction",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "DueAt",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "EditedArguments",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "Holds",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "RemindAt",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "RemindedAt",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "Resolution",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "ResolvedVia",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "StepsSoFar",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Escalations");

            migrationBuilder.DropColumn(
                name: "EscalationPolicy",
                table: "Agents");
        }
    }
}
