using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AgentConsole.Engine.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RunDataRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RawDataPurgedAt",
                table: "Runs",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RawDataPurgedAt",
                table: "Runs");
        }
    }
}
