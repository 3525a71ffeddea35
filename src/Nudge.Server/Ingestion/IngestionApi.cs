using Nudge.Core.Ingestion;

namespace Nudge.Server.Ingestion;

/// <summary>
/// The Segment HTTP tracking API. A batch is accepted or rejected as a whole: when any message is invalid,
/// nothing is stored and the problem details list every invalid field by batch index (ADR 0004).
/// A 200 means every message is in the event log, on disk.
/// </summary>
public static class IngestionApi
{
    public static IEndpointRouteBuilder MapIngestionApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Tracking API").RequireCors(IngestionCors.Policy).RequireRateLimiting(IngestionRateLimits.Policy);
        Describe<TrackingBatch>(v1.MapPost("/batch", (HttpContext http, IngestionHandler handler) => handler.HandleAsync(http, null)), "Batch");
        foreach (var type in Enum.GetValues<MessageType>())
        {
            var name = type.ToString();
            Describe<TrackingMessage>(
                v1.MapPost("/" + name.ToLowerInvariant(), (HttpContext http, IngestionHandler handler) => handler.HandleAsync(http, type)),
                name);
        }

        v1.MapGet("/projects/{writeKey}/settings", AnalyticsSettings.GetAsync).WithName("AnalyticsJsSettings")
            .WithSummary("The settings document analytics.js loads at start")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static void Describe<TBody>(RouteHandlerBuilder endpoint, string name) where TBody : notnull =>
        endpoint.WithName(name)
            .WithSummary(name == "Batch" ? "Send a batch of messages" : $"Send one {name.ToLowerInvariant()} message")
            // Any content type: trackers send JSON as text/plain (analytics.js) or form-encoded gzip (RudderStack).
            .Accepts<TBody>("application/json", "text/plain", "*/*")
            .Produces<IngestionReply>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
