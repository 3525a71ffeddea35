namespace Nudge.Server.Demo;

/// <summary>One planned visit of a shopper: when it starts, whether it ends in an order, whether the shopper signs in.</summary>
internal readonly record struct SessionPlan(DateTimeOffset Start, bool Purchase, bool Identify);
