using System.Globalization;
using Nudge.Channels.Email;

namespace Nudge.Channels.Tests.Support;

/// <summary>Test emails.</summary>
public static class Some
{
    public const string From = "Shop <news@shop.example>";

    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private static int _count;

    /// <summary>A personalized newsletter with both parts and a one-click unsubscribe link.</summary>
    public static OutgoingEmail Email(string? key = null, string to = "ada@example.com", string from = From)
    {
        var n = Interlocked.Increment(ref _count).ToString(CultureInfo.InvariantCulture);
        return new OutgoingEmail(
            key ?? $"test:{Guid.NewGuid():N}",
            from,
            to,
            $"Your weekly picks, Ada ({n})",
            $"<html><body><p>Hello Ada,</p><p>These shoes are back in stock: <a href=\"https://shop.example/p/{n}\">Trail Runner</a></p></body></html>",
            $"Hello Ada,\n\nThese shoes are back in stock: https://shop.example/p/{n}\n",
            new Uri($"https://nudge.shop.example/unsubscribe/prf_{n}?channel=email&token=0.abc"));
    }
}
