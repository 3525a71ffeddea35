namespace Nudge.Server.Demo;

/// <summary>
/// The state of one simulated person while messages are generated. Each has its own random stream,
/// so the order in which shoppers are simulated never changes what any one of them does.
/// </summary>
internal sealed class Shopper
{
    private static readonly string[] _userAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    ];

    // Documentation address blocks (RFC 5737): plausible-looking, never anyone's real address.
    private static readonly string[] _networks = ["192.0.2", "198.51.100", "203.0.113"];

    private readonly List<SessionPlan> _plan;

    public Shopper(int index, DemoCustomer? customer, string anonymousId, DemoPlace place, DemoRandom random, ShopperPersona persona, DemoCategory favourite)
    {
        Index = index;
        Customer = customer;
        AnonymousId = anonymousId;
        Place = place;
        Random = random;
        Persona = persona;
        Favourite = favourite;
        UserAgent = random.Pick(_userAgents);
        Ip = $"{random.Pick(_networks)}.{random.Next(1, 255)}";
        _plan = [];
    }

    public int Index { get; }

    /// <summary>The account, or <see langword="null"/> for a visitor who never signs in.</summary>
    public DemoCustomer? Customer { get; }

    public string AnonymousId { get; }

    public DemoPlace Place { get; }

    public DemoRandom Random { get; }

    public ShopperPersona Persona { get; }

    /// <summary>The category this shopper browses most.</summary>
    public DemoCategory Favourite { get; }

    /// <summary>The consumable a repeat buyer reorders, if any.</summary>
    public DemoProduct? Staple { get; set; }

    public string UserAgent { get; }

    public string Ip { get; }

    /// <summary>Whether messages carry the user id (set by the first identify).</summary>
    public bool Identified { get; set; }

    public int OrdersPlaced { get; set; }

    public IReadOnlyList<SessionPlan> Plan => _plan;

    /// <summary>Index into <see cref="Plan"/> of the session to simulate next.</summary>
    public int NextSession { get; set; }

    public void SetPlan(IEnumerable<SessionPlan> sessions)
    {
        _plan.Clear();
        _plan.AddRange(sessions);
    }
}
