namespace Nudge.Server.Ingestion;

/// <summary>RFC 9457 problem details for the tracking API.</summary>
internal static class Problems
{
    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            detail: "Nothing of this request was stored. Fix the fields listed in errors and send it again.",
            title: "The request has invalid messages");

    public static IResult TooLarge(string field, string detail) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Payload too large",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    public static IResult Unauthorized(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
}
