namespace Nudge.Server.Demo;

/// <summary>
/// Decides who each shopper is and when they visit. The mix is chosen so every common marketing
/// segment has members: browse and cart abandoners, one-time and repeat buyers, consumables running
/// out (replenishment) and customers who went quiet months ago (win-back).
/// </summary>
internal static class ShopperPlanner
{
    private const double BrowserShare = 0.36;
    private const double OneTimeShare = 0.36;
    private const double LapsedShare = 0.3;
    private const ulong CustomerStreams = 1_000;
    private const ulong VisitorStreams = 1_000_000_000;

    private static readonly TimeSpan _minimumGap = TimeSpan.FromMinutes(90);

    public static Shopper ForCustomer(int seed, int index, DemoCustomer customer, DemoPlace place, ProductPicker picker, DateTimeOffset windowStart, DateTimeOffset latest)
    {
        var random = new DemoRandom(seed, CustomerStreams + (ulong)index);
        var roll = random.NextDouble();
        var persona = roll < BrowserShare ? ShopperPersona.Browser
            : roll < BrowserShare + OneTimeShare ? ShopperPersona.OneTimeBuyer
            : ShopperPersona.RepeatBuyer;
        var favourite = persona == ShopperPersona.RepeatBuyer ? picker.RepeatFavourite(random) : picker.Category(random);
        var shopper = new Shopper(index, customer, customer.AnonymousId, place, random, persona, favourite)
        {
            // Accounts older than the window are signed in already: analytics.js keeps the user id.
            Identified = customer.CreatedAt < windowStart,
        };
        if (persona == ShopperPersona.RepeatBuyer && favourite.ReplenishAfterDays is not null)
        {
            shopper.Staple = picker.Popular(random, favourite);
        }

        shopper.SetPlan(PlanCustomer(shopper, customer, windowStart, latest));
        return shopper;
    }

    public static Shopper ForVisitor(int seed, int index, int visitor, ProductPicker picker, DateTimeOffset windowStart, DateTimeOffset latest)
    {
        var random = new DemoRandom(seed, VisitorStreams + (ulong)visitor);
        var places = DemoPlaces.All;
        var place = places[random.PickWeighted(DemoRandom.Cumulative(places.Select(p => p.Share)))];
        var anonymousId = random.NextGuid().ToString("D");
        var shopper = new Shopper(index, null, anonymousId, place, random, ShopperPersona.Visitor, picker.Category(random));
        var sessions = 1 + random.Geometric(0.5, 3);
        var times = Enumerable.Range(0, sessions)
            .Select(_ => RandomMoment(random, place, windowStart, latest))
            .Order()
            .Select(t => new SessionPlan(t, Purchase: false, Identify: false));
        shopper.SetPlan(Spread(times, latest));
        return shopper;
    }

    private static List<SessionPlan> PlanCustomer(Shopper shopper, DemoCustomer customer, DateTimeOffset windowStart, DateTimeOffset latest)
    {
        var random = shopper.Random;
        var place = shopper.Place;
        var isNew = customer.CreatedAt >= windowStart;
        var firstActive = isNew ? customer.CreatedAt : windowStart;
        if (firstActive >= latest)
        {
            return [];
        }

        var activeUntil = ActiveUntil(random, firstActive, latest);
        var (orders, browses) = shopper.Persona switch
        {
            ShopperPersona.Browser => (0, 1 + random.Geometric(0.45, 10)),
            ShopperPersona.OneTimeBuyer => (1, random.Geometric(0.5, 8)),
            _ => (2 + random.Geometric(0.45, 16), random.Geometric(0.4, 10)),
        };

        var plan = new List<SessionPlan>();
        var main = new List<SessionPlan>();
        var firstStart = firstActive;
        if (isNew)
        {
            // Anonymous visits in the days before signing up; they end well before the sign-up session.
            var anonymous = Enumerable.Range(0, random.Geometric(0.45, 4))
                .Select(_ => customer.CreatedAt - TimeSpan.FromSeconds(random.Next(7_200, 14 * 86_400)))
                .Where(t => t >= windowStart)
                .Order()
                .Select(t => new SessionPlan(t, Purchase: false, Identify: false));
            plan.AddRange(Spread(anonymous, customer.CreatedAt - _minimumGap));

            // The sign-up session itself; sometimes the account is made at checkout.
            var signUpOrder = orders > 0 && random.Chance(0.4);
            main.Add(new SessionPlan(customer.CreatedAt, signUpOrder, Identify: true));
            if (signUpOrder)
            {
                orders--;
            }
            else if (browses > 0)
            {
                browses--;
            }

            firstStart = customer.CreatedAt + _minimumGap;
        }

        var purchases = shopper.Staple is { } staple && orders > 0
            ? ReplenishmentMoments(random, place, staple, firstStart, activeUntil, orders + (isNew && main[0].Purchase ? 1 : 0))
            : [.. Enumerable.Range(0, orders).Select(_ => RandomMoment(random, place, firstStart, activeUntil))];
        var later = purchases.Select(t => new SessionPlan(t, Purchase: true, Identify: false))
            .Concat(Enumerable.Range(0, browses).Select(_ => new SessionPlan(RandomMoment(random, place, firstStart, activeUntil), Purchase: false, Identify: false)))
            .OrderBy(s => s.Start)
            .ToList();
        if (!isNew && later.Count > 0)
        {
            later[0] = later[0] with { Identify = true };
        }

        main.AddRange(later);
        plan.AddRange(Spread(main, latest));
        return plan;
    }

    /// <summary>About a third of customers stop visiting 2 to 6 months before now.</summary>
    private static DateTimeOffset ActiveUntil(DemoRandom random, DateTimeOffset firstActive, DateTimeOffset latest)
    {
        var earliestEnd = firstActive.AddDays(3);
        var latestLapse = latest.AddDays(-60);
        return random.Chance(LapsedShare) && latestLapse > earliestEnd
            ? earliestEnd + ((latestLapse - earliestEnd) * random.NextDouble())
            : latest;
    }

    /// <summary>
    /// Orders of a consumable, one per use-up period with some slack. The first falls anywhere in the first
    /// period, as the customer may have bought before the generated window.
    /// </summary>
    private static List<DateTimeOffset> ReplenishmentMoments(DemoRandom random, DemoPlace place, DemoProduct staple, DateTimeOffset from, DateTimeOffset until, int planned)
    {
        var cycle = TimeSpan.FromDays(DemoCategories.All.First(c => c.Name == staple.Category).ReplenishAfterDays ?? 30);
        var moments = new List<DateTimeOffset>();
        for (var t = from + (cycle * random.NextDouble()); t <= until && moments.Count < Math.Max(planned, 3) + 3; t += cycle * random.Between(0.75, 1.35))
        {
            moments.Add(ActivityHours.Shape(random, t, place, from, until));
        }

        if (moments.Count == 0 && from < until)
        {
            moments.Add(RandomMoment(random, place, from, until));
        }

        return moments;
    }

    private static DateTimeOffset RandomMoment(DemoRandom random, DemoPlace place, DateTimeOffset from, DateTimeOffset until) =>
        until <= from
            ? ActivityHours.Truncate(from)
            : ActivityHours.Shape(random, from + ((until - from) * random.NextDouble()), place, from, until);

    /// <summary>Keeps sessions at least <see cref="_minimumGap"/> apart and drops any that would start after <paramref name="latest"/>.</summary>
    private static IEnumerable<SessionPlan> Spread(IEnumerable<SessionPlan> sessions, DateTimeOffset latest)
    {
        DateTimeOffset? previous = null;
        foreach (var session in sessions)
        {
            var start = previous is { } p && session.Start < p + _minimumGap ? p + _minimumGap : session.Start;
            if (start > latest)
            {
                yield break;
            }

            previous = start;
            yield return session with { Start = start };
        }
    }
}
