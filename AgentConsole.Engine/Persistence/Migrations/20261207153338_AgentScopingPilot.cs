using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AgentScopingPilot : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AgentScopings");
        }
    }
}
