using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Nudge.Server.Admin;
using Nudge.Server.Lists;
using Nudge.Storage.Connectors;

namespace Nudge.Server.Connectors;

/// <summary>Shop connectors: create, read and delete them, and see what became of their webhook deliveries (ADR 0016).</summary>
public static class ConnectorsApi
{
    private const int MaxPage = 1000;

    public static RouteGroupBuilder MapConnectorsApi(this RouteGroupBuilder api)
    {
        var connectors = api.MapGroup("/connectors").WithTags("Connectors");
        connectors.MapGet("/", ListAsync).WithSummary("Every shop connector of the workspace, with its webhook URL and topics");
        connectors.MapPost("/", CreateAsync).WithSummary("Connect a shop (Shopify, WooCommerce or Shopware); the answer has the webhook URL and the topics to register")
            .Accepts<ConnectorRequest>("application/json").Produces<ConnectorView>(StatusCodes.Status201Created).ProducesValidationProblem();
        connectors.MapGet("/{id}", GetAsync).WithSummary("A shop connector");
        connectors.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a connector and its deliveries; its webhook URL answers 404 from then on");
        connectors.MapGet("/{id}/deliveries", DeliveriesAsync)
            .WithSummary("The connector's webhook deliveries, newest first: status (pending, processing, processed, ignored, failed), attempts, events added, error");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<ConnectorView>>> ListAsync(
        HttpContext http, ConnectorStore store, IOptions<ConnectorOptions> options, CancellationToken ct)
    {
        var publicBase = options.Value.PublicBase(http.Request);
        return TypedResults.Ok<IReadOnlyList<ConnectorView>>(
            (await store.ListAsync(AdminAuth.WorkspaceOf(http), ct)).Select(c => ConnectorView.Of(c, publicBase)).ToList());
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ConnectorStore store, IOptions<ConnectorOptions> options, CancellationToken ct)
    {
        var errors = new Errors();
        if (await ListRequests.ReadJsonAsync(http.Request, errors, ct) is not { } body || ConnectorRequests.Read(body, errors) is not { } draft)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(),
                detail: "The request is invalid; nothing was stored. Fix the fields listed in errors.", title: "Invalid connector");
        }
        var created = await store.CreateAsync(AdminAuth.WorkspaceOf(http), draft, ct);
        return TypedResults.Created($"/api/connectors/{created.Id}", ConnectorView.Of(created, options.Value.PublicBase(http.Request)));
    }

    private static async Task<Results<Ok<ConnectorView>, ProblemHttpResult>> GetAsync(
        HttpContext http, string id, ConnectorStore store, IOptions<ConnectorOptions> options, CancellationToken ct) =>
        await store.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is { } found
            ? TypedResults.Ok(ConnectorView.Of(found, options.Value.PublicBase(http.Request)))
            : NotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext http, string id, ConnectorStore store, CancellationToken ct) =>
        await store.DeleteAsync(AdminAuth.WorkspaceOf(http), id, ct) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Results<Ok<IReadOnlyList<DeliveryView>>, ProblemHttpResult>> DeliveriesAsync(
        HttpContext http, string id, string? status, int? limit, ConnectorStore store, DeliveryStore deliveries, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, id, ct) is null)
            return NotFound(id);
        if (status is not null && !DeliveryStatus.All.Contains(status, StringComparer.Ordinal))
            return Invalid("status", $"must be one of {string.Join(", ", DeliveryStatus.All)}");
        if (limit is < 1 or > MaxPage)
            return Invalid("limit", $"must be between 1 and {MaxPage}");
        var found = await deliveries.ListAsync(workspace, id, status, limit ?? 100, ct);
        return TypedResults.Ok<IReadOnlyList<DeliveryView>>(found.Select(DeliveryView.Of).ToList());
    }

    private static ProblemHttpResult Invalid(string field, string detail) =>
        TypedResults.Problem(detail: $"{field} {detail}", statusCode: 400, title: "Invalid query",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"no connector with id '{id}' in this workspace", statusCode: 404, title: "Not found",
            extensions: new Dictionary<string, object?> { ["field"] = "id" });
}
