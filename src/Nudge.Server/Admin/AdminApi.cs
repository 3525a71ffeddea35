using Nudge.Server.Lists;
using Nudge.Server.Consent;
using Nudge.Server.Delivery;
using Nudge.Server.Segments;

namespace Nudge.Server.Admin;

/// <summary>The admin REST API under <c>/api</c>.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<AdminAuth>().ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapProfilesApi();
        api.MapSegmentsApi();
        api.MapListsApi();
        api.MapConsentApi();
        api.MapSuppressionsApi();
        api.MapMessagesApi();
        return app;
    }
}
