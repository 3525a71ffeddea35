using Microsoft.Extensions.Options;
using Nudge.Channels.Webhooks;

namespace Nudge.Server.Webhooks;

/// <summary>Webhook sends: the settings and the sender the delivery worker calls.</summary>
public static class WebhooksSetup
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<WebhookOptions>().Bind(builder.Configuration.GetSection("Nudge:Webhooks"))
            .Validate(o => o.Timeout > TimeSpan.Zero, "Nudge:Webhooks:Timeout must be positive").ValidateOnStart();
        // Redirects are not followed: a signed message goes only where the shop addressed it.
        builder.Services.AddSingleton(sp => new WebhookSender(
            new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            },
            sp.GetRequiredService<IOptions<WebhookOptions>>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<WorkspaceWebhookSecrets>();
        return builder;
    }

    /// <summary><c>GET /api/webhooks/secret</c>: the secret receivers verify this workspace's webhooks with.</summary>
    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        api.MapGet("/webhooks/secret", async (HttpContext http, WorkspaceWebhookSecrets secrets, CancellationToken ct) =>
                TypedResults.Ok(new WebhookSecretView(await secrets.SecretAsync(Admin.AdminAuth.WorkspaceOf(http), ct))))
            .WithTags("Webhooks").WithSummary("The secret that signs this workspace's webhook sends (Standard Webhooks whsec_ form)");
        return api;
    }
}

/// <summary>The workspace's webhook signing secret.</summary>
/// <param name="Secret"><c>whsec_</c> and the base64 key.</param>
public sealed record WebhookSecretView(string Secret);
