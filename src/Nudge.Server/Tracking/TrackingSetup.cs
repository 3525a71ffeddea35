using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Nudge.Server.Admin;
using Nudge.Server.Hosting;
using Nudge.Storage.Outbox;
using Nudge.Storage.Tracking;

namespace Nudge.Server.Tracking;

/// <summary>Open and click tracking, view in browser, bounces and complaints: services, settings and endpoints (ADR 0019).</summary>
public static class TrackingSetup
{
    /// <summary>The rate limit of the tracking and feedback endpoints, per client address.</summary>
    public const string Policy = "email-tracking";

    public static WebApplicationBuilder AddTracking(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TrackingOptions>().Bind(builder.Configuration.GetSection("Nudge:Tracking")).ValidateDataAnnotations()
            .Validate(o => o.SoftBounceWindow > TimeSpan.Zero, "Nudge:Tracking:SoftBounceWindow must be positive").ValidateOnStart();
        builder.Services.AddSingleton<FeedbackStore>();
        builder.Services.AddSingleton<TrackingSettingsStore>();
        builder.Services.AddSingleton<TrackingLinks>();
        builder.Services.AddSingleton<EmailFeedback>();
        builder.Services.AddOptions<BounceMailboxOptions>().Bind(builder.Configuration.GetSection("Nudge:BounceMailbox")).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BounceMailboxOptions>, BounceMailboxValidation>();
        builder.Services.AddSingleton<BounceMailbox>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BounceMailbox>());
        // Apple's and Google's image proxies fetch for many people from few addresses: the limit stops floods, not mail clients.
        var perSecond = builder.Configuration.GetValue("Nudge:Tracking:RequestsPerSecondPerClient", new TrackingOptions().RequestsPerSecondPerClient);
        builder.Services.AddPerClientRateLimit(Policy, perSecond, TimeSpan.FromSeconds(1));
        return builder;
    }

    /// <summary>The public endpoints: pixel, click and view (left out of the OpenAPI document: pages for mail clients) and feedback.</summary>
    public static IEndpointRouteBuilder MapTrackingPages(this IEndpointRouteBuilder app)
    {
        TrackingPages.Map(app.MapGroup("").RequireRateLimiting(Policy).ExcludeFromDescription());
        FeedbackApi.Map(app.MapGroup("").RequireRateLimiting(Policy));
        return app;
    }

    /// <summary><c>/api/tracking/settings</c> and <c>/api/tracking/feedback-urls</c>.</summary>
    public static RouteGroupBuilder MapTrackingApi(this RouteGroupBuilder api)
    {
        var tracking = api.MapGroup("/tracking").WithTags("Tracking");
        tracking.MapGet("/settings", async (HttpContext http, TrackingSettingsStore settings, CancellationToken ct) =>
                TypedResults.Ok(TrackingSettingsView.Of(await settings.GetAsync(AdminAuth.WorkspaceOf(http), ct))))
            .WithSummary("Whether this workspace's marketing emails track opens and clicks");
        tracking.MapPut("/settings", PutSettingsAsync)
            .WithSummary("Turns open and click tracking on or off for this workspace's marketing emails").ProducesValidationProblem();
        tracking.MapGet("/feedback-urls", async (HttpContext http, TrackingLinks links, CancellationToken ct) =>
            {
                var workspace = AdminAuth.WorkspaceOf(http);
                return TypedResults.Ok(new FeedbackUrls(
                    (await links.FeedbackAsync(workspace, null, ct)).AbsoluteUri, (await links.FeedbackAsync(workspace, "postmark", ct)).AbsoluteUri));
            })
            .WithSummary("The signed addresses bounces (raw MIME) and Postmark's webhooks are posted to");
        tracking.MapGet("/bounce-mailbox", (BounceMailbox mailbox) => TypedResults.Ok(mailbox.Status()))
            .WithSummary("The IMAP bounce mailbox's settings (without the password) and what its latest reading found");
        tracking.MapPost("/bounce-mailbox/poll", PollMailboxAsync)
            .WithSummary("Reads the bounce mailbox now instead of at the next interval").ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Results<Ok<BounceMailboxPoll>, ProblemHttpResult>> PollMailboxAsync(BounceMailbox mailbox, CancellationToken ct)
    {
        if (!mailbox.Status().Enabled)
        {
            return TypedResults.Problem(detail: "no bounce mailbox is configured: set Nudge__BounceMailbox__Host, __User and __Password",
                statusCode: StatusCodes.Status409Conflict, title: "No bounce mailbox");
        }
        return TypedResults.Ok(await mailbox.PollAsync(ct));
    }

    private sealed class BounceMailboxValidation : IValidateOptions<BounceMailboxOptions>
    {
        public ValidateOptionsResult Validate(string? name, BounceMailboxOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }

    private static async Task<Results<Ok<TrackingSettingsView>, ValidationProblem>> PutSettingsAsync(
        HttpContext http, TrackingSettingsView? body, TrackingSettingsStore settings, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body?.Opens is null)
            errors["opens"] = ["is required: true to add the open pixel, false for none"];
        if (body?.Clicks is null)
            errors["clicks"] = ["is required: true to rewrite links for click tracking, false to leave them"];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var value = new TrackingSettings(body!.Opens!.Value, body.Clicks!.Value);
        await settings.SetAsync(AdminAuth.WorkspaceOf(http), value, ct);
        return TypedResults.Ok(TrackingSettingsView.Of(value));
    }
}

/// <summary>A workspace's tracking settings.</summary>
/// <param name="Opens">Add the open pixel to marketing emails.</param>
/// <param name="Clicks">Rewrite the links of marketing emails to signed click-tracking links.</param>
public sealed record TrackingSettingsView(bool? Opens, bool? Clicks)
{
    public static TrackingSettingsView Of(TrackingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new(settings.Opens, settings.Clicks);
    }
}

/// <summary>Where bounces and complaints are posted.</summary>
/// <param name="Mime">For raw bounce and ARF messages (a Postfix pipe, a mailbox forwarder): POST the message as the body.</param>
/// <param name="Postmark">For Postmark's Bounce, SpamComplaint and Delivery webhooks.</param>
public sealed record FeedbackUrls(string Mime, string Postmark);
