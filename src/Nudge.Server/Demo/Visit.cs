using System.Text.Json.Nodes;

namespace Nudge.Server.Demo;

/// <summary>
/// One browser session on the demo shop: keeps the clock and the current page, and turns calls
/// into analytics.js-shaped messages with a full <c>context</c>.
/// </summary>
internal sealed class Visit
{
    public const string Origin = "https://demo-shop.example";

    private readonly Shopper _shopper;
    private readonly Action<DateTimeOffset, JsonObject> _emit;
    private readonly List<DemoProduct> _viewed = [];
    private string _path = "/";
    private string _search = "";
    private string _title = "";
    private string _referrer = "";
    private DemoCampaign? _campaign;

    public Visit(Shopper shopper, DateTimeOffset start, Action<DateTimeOffset, JsonObject> emit)
    {
        _shopper = shopper;
        _emit = emit;
        Now = ActivityHours.Truncate(start);
    }

    public DateTimeOffset Now { get; private set; }

    public Shopper Shopper => _shopper;

    /// <summary>Products viewed so far in this visit, oldest first.</summary>
    public IReadOnlyList<DemoProduct> Viewed => _viewed;

    private string Url => $"{Origin}{_path}{_search}";

    /// <summary>Moves the clock on by a random whole number of milliseconds in [min, max) seconds.</summary>
    public void Wait(double minSeconds, double maxSeconds) =>
        Now = Now.AddMilliseconds(Math.Round(_shopper.Random.Between(minSeconds, maxSeconds) * 1000));

    /// <summary>
    /// A page call; later calls carry this page in <c>context.page</c>. The referrer defaults to the
    /// previous page of this visit; a campaign's UTM parameters show in the URL and <c>context.campaign</c>.
    /// </summary>
    public void Page(string name, string path, string title, string search = "", string? referrer = null, DemoCampaign? campaign = null)
    {
        _referrer = referrer ?? (_title.Length == 0 ? "" : Url);
        _path = path;
        _campaign = campaign;
        _search = campaign is null ? search : campaign.QueryString;
        _title = title;

        var message = SegmentJson.Envelope("page", _shopper, Now, fromServer: false);
        message["name"] = name;
        message["properties"] = new JsonObject
        {
            ["path"] = _path,
            ["referrer"] = _referrer,
            ["search"] = _search,
            ["title"] = _title,
            ["url"] = Url,
        };
        message["context"] = Context();
        Emit(message);
    }

    public void Track(string @event, JsonObject properties)
    {
        var message = SegmentJson.Envelope("track", _shopper, Now, fromServer: false);
        message["event"] = @event;
        message["properties"] = properties;
        message["context"] = Context();
        Emit(message);
    }

    /// <summary>A product page and its Product Viewed call.</summary>
    public void ViewProduct(DemoProduct product, string? referrer = null, DemoCampaign? campaign = null)
    {
        Page("Product", product.Url.AbsolutePath, $"{product.Name} | Demo Shop", referrer: referrer, campaign: campaign);
        var properties = SegmentJson.Product(product);
        properties["currency"] = SegmentJson.Currency;
        Track("Product Viewed", properties);
        _viewed.Add(product);
    }

    /// <summary>Signs the customer in: from here on messages carry the user id.</summary>
    public void Identify(DemoCustomer customer)
    {
        _shopper.Identified = true;
        var traits = new JsonObject
        {
            ["email"] = customer.Email,
            ["first_name"] = customer.FirstName,
            ["last_name"] = customer.LastName,
        };
        if (customer.Phone is not null)
        {
            traits["phone"] = customer.Phone;
        }

        if (customer.Birthday is { } birthday)
        {
            traits["birthday"] = birthday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        traits["address"] = new JsonObject { ["city"] = customer.City, ["country"] = customer.Country };
        traits["created_at"] = SegmentJson.Timestamp(customer.CreatedAt);

        var message = SegmentJson.Envelope("identify", _shopper, Now, fromServer: false);
        message["traits"] = traits;
        message["context"] = Context();
        Emit(message);
    }

    /// <summary>Hands the message on and lets a little time pass, so no two calls of a visit share a timestamp.</summary>
    private void Emit(JsonObject message)
    {
        _emit(Now, message);
        Wait(0.03, 0.4);
    }

    private JsonObject Context()
    {
        var context = new JsonObject
        {
            ["ip"] = _shopper.Ip,
            ["library"] = new JsonObject { ["name"] = "analytics.js", ["version"] = "next-1.70.0" },
            ["locale"] = _shopper.Place.Locale,
            ["page"] = new JsonObject
            {
                ["path"] = _path,
                ["referrer"] = _referrer,
                ["search"] = _search,
                ["title"] = _title,
                ["url"] = Url,
            },
            ["timezone"] = _shopper.Place.TimeZone,
            ["userAgent"] = _shopper.UserAgent,
        };
        if (_campaign is not null)
        {
            context["campaign"] = new JsonObject
            {
                ["name"] = _campaign.Name,
                ["source"] = _campaign.Source,
                ["medium"] = _campaign.Medium,
            };
        }

        return context;
    }
}
