namespace Nudge.Server.Demo;

/// <summary>Builds the customer list.</summary>
internal static class DemoPeople
{
    private const int DramaNumbers = 1000;
    private const double NewCustomerShare = 0.45;

    public static IReadOnlyList<DemoCustomer> Build(DemoRandom random, int count, DateTimeOffset windowStart, DateTimeOffset now)
    {
        var places = DemoPlaces.All;
        var placeWeights = DemoRandom.Cumulative(places.Select(p => p.Share));
        var phones = ShuffledDramaNumbers(random);
        var customers = new List<DemoCustomer>(count);
        for (var i = 0; i < count; i++)
        {
            var number = i + 1;
            var place = places[random.PickWeighted(placeWeights)];
            var (firstNames, lastNames) = DemoNames.For(place.Locale);
            var first = random.Pick(firstNames);
            var last = random.Pick(lastNames);
            string? phone = null;
            if (random.Chance(0.2) && phones.Count > 0)
            {
                phone = $"+447700{phones.Pop()}";
            }

            DateOnly? birthday = random.Chance(0.6) ? Birthday(random, now) : null;
            var createdAt = random.Chance(NewCustomerShare)
                ? ActivityHours.Shape(random, windowStart + ((now.AddDays(-1) - windowStart) * random.NextDouble()), place, windowStart, now.AddDays(-1))
                : ActivityHours.Shape(random, windowStart - TimeSpan.FromDays(random.Between(1, 3 * 365)), place, DateTimeOffset.MinValue, windowStart.AddHours(-1));
            customers.Add(new DemoCustomer(
                UserId: $"cust-{number:D5}",
                AnonymousId: random.NextGuid().ToString("D"),
                Email: $"{DemoNames.ToAscii(first)}.{DemoNames.ToAscii(last)}{number}@example.com",
                FirstName: first,
                LastName: last,
                Phone: phone,
                Country: place.Country,
                City: place.City,
                TimeZone: place.TimeZone,
                Locale: place.Locale,
                Birthday: birthday,
                CreatedAt: createdAt));
        }

        return customers;
    }

    private static DateOnly Birthday(DemoRandom random, DateTimeOffset now)
    {
        var age = Math.Clamp(37 + (12 * random.Normal()), 18, 80);
        var born = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-(int)(age * 365.25));
        return born.AddDays(-random.Next(365));
    }

    private static Stack<string> ShuffledDramaNumbers(DemoRandom random)
    {
        var numbers = Enumerable.Range(900000, DramaNumbers).Select(n => n.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        for (var i = numbers.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (numbers[i], numbers[j]) = (numbers[j], numbers[i]);
        }

        return new Stack<string>(numbers);
    }
}
