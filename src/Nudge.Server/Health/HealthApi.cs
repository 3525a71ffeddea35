using Nudge.Storage;

namespace Nudge.Server.Health;

/// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: the database answers too.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health");
        health.MapGet("/live", () => TypedResults.Ok(new { status = "live" }));
        health.MapGet("/ready", async (Database database, CancellationToken ct) =>
        {
            try
            {
                await using var connection = await database.OpenAsync(ct);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                await command.ExecuteScalarAsync(ct);
                return Results.Ok(new { status = "ready" });
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return Results.Problem(detail: "the database does not answer: " + ex.Message, statusCode: 503, title: "Not ready");
            }
        });
        return app;
    }
}
