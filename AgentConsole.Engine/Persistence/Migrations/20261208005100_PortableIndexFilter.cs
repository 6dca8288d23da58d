using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PortableIndexFilter : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RunSteps_RunId_CallId",
                table: "RunSteps");

            migrationBuilder.CreateIndex(
                name: "IX_RunSteps_RunId_CallId",
                table: "RunSteps",
                columns: new[] { "RunId", "CallId" },
                unique: true,
                filter: "\"CallId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RunSteps_RunId_CallId",
                table: "RunSteps");

            migrationBuilder.CreateIndex(
                name: "IX_RunSteps_RunId_CallId",
                table: "RunSteps",
                columns: new[] { "RunId", "CallId" },
                unique: true,
                filter: "CallId IS NOT NULL");
        }
    }
}
