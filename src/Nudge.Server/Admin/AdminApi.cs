using Nudge.Server.Catalog;
using Nudge.Server.Lists;
using Nudge.Server.Connectors;
using Nudge.Server.Consent;
using Nudge.Server.Coupons;
using Nudge.Server.Flows;
using Nudge.Server.Imports;
using Nudge.Server.Push;
using Nudge.Server.Delivery;
using Nudge.Server.Segments;
using Nudge.Server.Webhooks;
using Nudge.Server.Templates;
using Nudge.Server.Tracking;

namespace Nudge.Server.Admin;

/// <summary>The admin REST API under <c>/api</c>.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<AdminAuth>().ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapProfilesApi();
        api.MapSegmentsApi();
        api.MapFlowsApi();
        api.MapWebhooksApi();
        api.MapListsApi();
        api.MapConsentApi();
        api.MapSuppressionsApi();
        api.MapPushAdminApi();
        api.MapTemplatesApi();
        api.MapMessagesApi();
        api.MapConnectorsApi();
        api.MapCouponsApi();
        api.MapTrackingApi();
        api.MapImportsApi();
        api.MapCatalogApi();
        api.MapSignalsApi();
        return app;
    }
}
