using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Nudge.Server.Admin;

/// <summary>Declares in the OpenAPI document that <c>/api</c> needs an admin key and <c>/v1</c> a write key.</summary>
internal sealed class ApiSecurity : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Nudge API";
        document.Info.Description = "Tracking API (Segment-compatible, write key as Basic-auth user name) and admin API (Bearer admin key).";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["adminKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An admin API key: Authorization: Bearer <key>",
        };
        document.Components.SecuritySchemes["writeKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "basic",
            Description = "A write key as the user name, empty password",
        };

        foreach (var (path, item) in document.Paths)
        {
            // Paths that name the write key carry it themselves; the browser's push subscriptions take a write key.
            var scheme = path.Contains("{writeKey}", StringComparison.Ordinal) ? null
                : path.StartsWith("/api/push/subscriptions", StringComparison.Ordinal) ? "writeKey"
                : path.StartsWith("/api/", StringComparison.Ordinal) ? "adminKey"
                : path.StartsWith("/v1/", StringComparison.Ordinal) ? "writeKey"
                : null;
            if (scheme is null || item.Operations is null)
                continue;
            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] });
            }
        }
        return Task.CompletedTask;
    }
}
