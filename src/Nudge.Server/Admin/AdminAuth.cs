using Nudge.Storage.Keys;

namespace Nudge.Server.Admin;

/// <summary>Admin API access: <c>Authorization: Bearer &lt;admin key&gt;</c>; the key's workspace scopes every call.</summary>
internal sealed class AdminAuth(KeyStore keys) : IEndpointFilter
{
    private const string WorkspaceItem = "nudge.workspace";

    public static string WorkspaceOf(HttpContext http) => (string)http.Items[WorkspaceItem]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        var secret = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var key = string.IsNullOrEmpty(secret) ? null : await keys.FindAsync(secret, http.RequestAborted);
        if (key is not { Kind: ApiKeyKind.Admin })
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(
                detail: secret is null ? "send an admin key as 'Authorization: Bearer <key>'" : "unknown admin key",
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized");
        }

        http.Items[WorkspaceItem] = key.WorkspaceId;
        return await next(context);
    }
}
