namespace Nudge.Server.Demo;

/// <summary>How a simulated shopper behaves over the six months.</summary>
internal enum ShopperPersona
{
    /// <summary>Never signs in: a few anonymous sessions, sometimes a cart left behind.</summary>
    Visitor,

    /// <summary>Has an account, browses and fills carts, never orders.</summary>
    Browser,

    /// <summary>Orders exactly once.</summary>
    OneTimeBuyer,

    /// <summary>Orders two or more times; consumables are reordered when they run out.</summary>
    RepeatBuyer,
}
