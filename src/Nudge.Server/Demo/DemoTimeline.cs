using System.Text.Json.Nodes;

namespace Nudge.Server.Demo;

/// <summary>
/// Streams every shopper's sessions as one time-ordered sequence. Shoppers wait in a queue by their
/// next session's start; a session's messages wait in a second queue until no session that has yet to
/// be played can start before them. Only messages of sessions in progress (and a few scheduled
/// follow-ups) are held at any time.
/// </summary>
internal static class DemoTimeline
{
    public static IEnumerable<JsonObject> Messages(int seed, DemoShop shop)
    {
        var picker = new ProductPicker(shop.Products);
        var latestSessionStart = shop.Now.AddHours(-2);
        var places = DemoPlaces.All.ToDictionary(p => p.City, StringComparer.Ordinal);

        var pending = new PriorityQueue<JsonObject, (long Ticks, long Sequence)>();
        long sequence = 0;
        var simulator = new SessionSimulator(picker, shop.Now, (at, message) => pending.Enqueue(message, (at.UtcTicks, sequence++)));

        var shoppers = new PriorityQueue<Shopper, (long Ticks, int Index)>();
        for (var i = 0; i < shop.Customers.Count; i++)
        {
            var customer = shop.Customers[i];
            Add(ShopperPlanner.ForCustomer(seed, i, customer, places[customer.City], picker, shop.Since, latestSessionStart));
        }

        for (var v = 0; v < shop.Customers.Count * 2 / 5; v++)
        {
            Add(ShopperPlanner.ForVisitor(seed, shop.Customers.Count + v, v, picker, shop.Since, latestSessionStart));
        }

        while (shoppers.TryDequeue(out var shopper, out var next))
        {
            while (pending.TryPeek(out _, out var due) && due.Ticks < next.Ticks)
            {
                yield return pending.Dequeue();
            }

            simulator.Run(shopper, shopper.Plan[shopper.NextSession]);
            shopper.NextSession++;
            Add(shopper);
        }

        while (pending.TryDequeue(out var message, out _))
        {
            yield return message;
        }

        void Add(Shopper shopper)
        {
            if (shopper.NextSession < shopper.Plan.Count)
            {
                shoppers.Enqueue(shopper, (shopper.Plan[shopper.NextSession].Start.UtcTicks, shopper.Index));
            }
        }
    }
}
