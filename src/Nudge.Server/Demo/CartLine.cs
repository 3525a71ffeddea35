namespace Nudge.Server.Demo;

/// <summary>A product and how many of it are in a cart or order.</summary>
internal readonly record struct CartLine(DemoProduct Product, int Quantity);
