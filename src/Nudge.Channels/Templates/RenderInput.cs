using System.Text.Json;
using System.Text.Json.Nodes;
using Fluid.Values;
using Nudge.Channels.Templates.Blocks;
using Nudge.Channels.Templates.Filters;
using Nudge.Channels.Templates.Rendering;
using Nudge.Core.Profiles;

namespace Nudge.Channels.Templates;

/// <summary>
/// Everything a message is rendered from; the flow engine, campaigns, previews and test sends fill it. Each
/// member becomes one top-level Liquid variable (see docs/templates.md):
/// <c>profile</c>, <c>event</c>, <c>coupon</c>, <c>recommendations</c>, <c>products</c>, <c>segments</c> and <c>links</c>.
/// </summary>
public sealed record RenderInput
{
    /// <summary>
    /// The recipient: <c>id</c>, <c>email</c>, <c>phone</c>, <c>first_name</c>, <c>last_name</c>, <c>name</c>, every
    /// trait by its own name, <c>properties</c> (the traits again, as one object), and the computed
    /// <c>order_count</c>, <c>total_revenue</c>, <c>average_order_value</c>, <c>first_order_date</c>,
    /// <c>last_order_date</c>, <c>first_seen</c>, <c>last_seen</c>, <c>currency</c>, <c>time_zone</c>.
    /// </summary>
    public JsonObject Profile { get; init; } = [];

    /// <summary>The event that triggered the message: <c>name</c>, <c>timestamp</c> and its properties (an order's <c>order_id</c>, <c>total</c>, <c>products</c>, ...).</summary>
    public JsonObject? Event { get; init; }

    /// <summary>The coupon given to the recipient: <c>code</c>, and whatever else the coupon source tells (<c>description</c>, <c>expires_at</c>, ...).</summary>
    public JsonObject? Coupon { get; init; }

    /// <summary>Recommended products: each with <c>product_id</c>, <c>name</c>, <c>price</c>, <c>url</c>, <c>image_url</c>, ...</summary>
    public JsonArray Recommendations { get; init; } = [];

    /// <summary>
    /// Product feeds given as data, by feed name (<c>{"viewed": [...]}</c>): previews and tests. A feed not given
    /// here is asked of <see cref="Lookups"/> when the template reads it.
    /// </summary>
    public JsonObject? Products { get; init; }

    /// <summary>Ids and names of the recipient's segments, given as data (previews); unset, asked of <see cref="Lookups"/>.</summary>
    public IReadOnlyList<string>? Segments { get; init; }

    /// <summary>Where product feeds and segment membership come from when a template asks (the sender sets it per message).</summary>
    public IRenderLookups? Lookups { get; init; }

    /// <summary>Links every marketing message carries.</summary>
    public TemplateLinks Links { get; init; } = new(null, null, null);

    /// <summary>Language and country (<c>de-DE</c>); unset, the profile's <c>locale</c> or <c>language</c> trait.</summary>
    public string? Locale { get; init; }

    /// <summary>Currency of <c>money</c> (ISO 4217); unset, the event's <c>currency</c>, then the profile's.</summary>
    public string? Currency { get; init; }

    /// <summary>IANA time zone of dates; unset, the profile's.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The input for a stored profile (traits, identities, computed traits, time zone).</summary>
    public static RenderInput ForProfile(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var json = new JsonObject();
        var properties = new JsonObject();
        foreach (var (name, value) in profile.Traits)
        {
            json[name] = JsonNode.Parse(value.GetRawText());
            properties[name] = JsonNode.Parse(value.GetRawText());
        }
        json["id"] = profile.Id;
        json["email"] = profile.Email;
        json["phone"] = profile.Phone;
        json["user_id"] = profile.UserId;
        json["first_name"] ??= profile.TraitText("firstName");
        json["last_name"] ??= profile.TraitText("lastName");
        json["name"] = profile.DisplayName;
        json["properties"] = properties;
        var computed = profile.Computed;
        json["order_count"] = computed.OrderCount;
        json["total_revenue"] = computed.TotalRevenue;
        json["average_order_value"] = computed.AverageOrderValue;
        json["first_order_date"] = computed.FirstOrderDate;
        json["last_order_date"] = computed.LastOrderDate;
        json["first_seen"] = computed.FirstSeen;
        json["last_seen"] = computed.LastSeen;
        json["currency"] = computed.Currency;
        json["time_zone"] = profile.TimeZone ?? profile.TraitText("timezone");
        return new RenderInput { Profile = json };
    }

    /// <summary>The Liquid variables of this input.</summary>
    public TemplateVariables ToVariables()
    {
        var variables = new TemplateVariables();
        variables.Set("profile", ToElement(Profile));
        if (Event is not null)
            variables.Set("event", ToElement(Event));
        if (Coupon is not null)
            variables.Set("coupon", ToElement(Coupon));
        // Unset, `recommendations` reads products.recommendations (NudgeRewriter): fetched only by templates that show it.
        if (Recommendations.Count > 0)
            variables.Set("recommendations", ToElement(Recommendations));
        var givenFeeds = new Dictionary<string, FluidValue>(StringComparer.Ordinal);
        foreach (var (feed, products) in Products ?? [])
            givenFeeds[feed] = products is null ? NilValue.Instance : TemplateVariables.Convert(ToElement(products));
        variables.Set("products", new ProductFeedsValue(Lookups, givenFeeds));
        variables.Set("segments", new SegmentsValue(Lookups, Segments is null ? null : new HashSet<string>(Segments, StringComparer.Ordinal)));
        variables.Set("links", JsonSerializer.SerializeToElement(new JsonObject
        {
            ["unsubscribe_url"] = Links.UnsubscribeUrl,
            ["preferences_url"] = Links.PreferencesUrl,
            ["view_in_browser_url"] = Links.ViewInBrowserUrl,
        }));
        return variables;
    }

    /// <summary>The reader's locale, currency and time zone, from this input and the profile, else the workspace's defaults.</summary>
    public RenderSettings Settings(string defaultCurrency = "USD", string? defaultLocale = null)
    {
        var locale = Locale ?? Text(Profile, "locale") ?? Text(Profile, "language") ?? defaultLocale;
        var currency = new[] { Currency, Event is null ? null : Text(Event, "currency"), Text(Profile, "currency"), defaultCurrency }
            .First(c => Money.IsCurrencyCode(c))!.ToUpperInvariant();
        var zone = TimeZone ?? Text(Profile, "time_zone") ?? Text(Profile, "timezone");
        return new RenderSettings(TemplateLocales.Find(locale), currency, LocalDates.Zone(zone));
    }

    private static string? Text(JsonObject json, string name) =>
        json.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static JsonElement ToElement(JsonNode node) => JsonSerializer.SerializeToElement(node);
}

/// <summary>The links of a marketing message; the sender fills them with signed links for the recipient.</summary>
/// <param name="UnsubscribeUrl">One-click unsubscribe page.</param>
/// <param name="PreferencesUrl">The preference center.</param>
/// <param name="ViewInBrowserUrl">The message as a web page.</param>
public sealed record TemplateLinks(string? UnsubscribeUrl, string? PreferencesUrl, string? ViewInBrowserUrl);
