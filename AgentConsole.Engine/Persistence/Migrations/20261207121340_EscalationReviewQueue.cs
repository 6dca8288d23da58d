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

            migrationBuilder.CreateIndex(
                name: "IX_Escalations_AgentKey_CreatedAt",
                table: "Escalations",
                columns: new[] { "AgentKey", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Escalations_Status_DueAt",
                table: "Escalations",
                columns: new[] { "Status", "DueAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
