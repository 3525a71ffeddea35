using Microsoft.AspNetCore.Http.HttpResults;
using Nudge.Server.Admin;
using Nudge.Storage.Outbox;

namespace Nudge.Server.Delivery;

/// <summary>The delivery log: every message Nudge sent or is sending, with its status history.</summary>
public static class MessagesApi
{
    private const int MaxPage = 1000;

    public static RouteGroupBuilder MapMessagesApi(this RouteGroupBuilder api)
    {
        var messages = api.MapGroup("/messages").WithTags("Messages");
        messages.MapGet("/", ListAsync).WithSummary("Messages, newest first, optionally of one profile or in one status; paged with before")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        messages.MapGet("/{id}", GetAsync).WithSummary("A message with its status history").ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<MessagesPage>, ProblemHttpResult>> ListAsync(
        HttpContext http, DeliveryLog log, string? profileId, string? status, string? before, int? limit, CancellationToken ct)
    {
        if (status is not null && !OutboxStatus.All.Contains(status, StringComparer.Ordinal))
            return Invalid("status", $"status must be one of {string.Join(", ", OutboxStatus.All)}");
        if (limit is < 1 or > MaxPage)
            return Invalid("limit", $"limit must be between 1 and {MaxPage}");
        var size = limit ?? 100;
        var page = await log.ListAsync(AdminAuth.WorkspaceOf(http), profileId, status, before, size, ct);
        return TypedResults.Ok(new MessagesPage(page.Select(MessageView.Of).ToList(), page.Count == size ? page[^1].Id : null));
    }

    private static async Task<Results<Ok<MessageDetail>, ProblemHttpResult>> GetAsync(HttpContext http, string id, DeliveryLog log, CancellationToken ct)
    {
        if (await log.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is not { } message)
        {
            return TypedResults.Problem(detail: $"no message with id '{id}' in this workspace", statusCode: 404, title: "Not found",
                extensions: new Dictionary<string, object?> { ["field"] = "id" });
        }
        var history = await log.HistoryAsync(message.Id, ct);
        return TypedResults.Ok(new MessageDetail(MessageView.Of(message), history.Select(e => new MessageEventView(e.Status, e.At, e.Detail)).ToList()));
    }

    private static ProblemHttpResult Invalid(string field, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: 400, title: "Invalid query", extensions: new Dictionary<string, object?> { ["field"] = field });
}
