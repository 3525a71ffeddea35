using Nudge.Engine.Consent;
using Nudge.Server.Hosting;
using Nudge.Storage.Profiles;
using Nudge.Storage.Suppressions;

namespace Nudge.Server.Consent;

/// <summary>Consent, suppressions and the public consent pages: services, settings and endpoints.</summary>
public static class ConsentSetup
{
    /// <summary>The rate limit of the preference center and unsubscribe pages, per client address.</summary>
    public const string PagesPolicy = "consent-pages";

    public static WebApplicationBuilder AddConsent(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<SuppressionStore>();
        builder.Services.AddSingleton<ConsentTrails>();
        builder.Services.AddSingleton<PreferenceLinks>();
        builder.Services.AddOptions<PublicLinkOptions>().Bind(builder.Configuration.GetSection("Nudge"))
            .Validate(o => o.IsValid, "Nudge:PublicUrl must be an absolute http or https URL, e.g. https://shop.example/nudge")
            .ValidateOnStart();
        builder.Services.AddOptions<PreferencesOptions>().Bind(builder.Configuration.GetSection("Nudge:Preferences"))
            .Validate(o => o.TopicList.All(t => t.Length <= PreferencesOptions.MaxTopicLength),
                $"Nudge:Preferences:Topics: each topic may have at most {PreferencesOptions.MaxTopicLength} characters")
            .ValidateOnStart();

        // Mail providers post one-click unsubscribes from a few addresses on behalf of many people, so the default
        // is generous; it stops floods, not people.
        var perSecond = builder.Configuration.GetValue("Nudge:PublicPages:RequestsPerSecondPerClient", 20);
        builder.Services.AddPerClientRateLimit(PagesPolicy, perSecond, TimeSpan.FromSeconds(1));
        return builder;
    }

    /// <summary>The public pages people reach from messages: the preference center and one-click unsubscribe.</summary>
    public static IEndpointRouteBuilder MapConsentPages(this IEndpointRouteBuilder app)
    {
        // Pages for people, not part of the API: left out of the OpenAPI document.
        var pages = app.MapGroup("").RequireRateLimiting(PagesPolicy).ExcludeFromDescription();
        PreferenceCenter.Map(pages);
        OneClickUnsubscribe.Map(pages);
        return app;
    }
}
