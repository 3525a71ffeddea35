namespace Nudge.Server.Demo;

/// <summary>
/// A shop category and the words its product names are made of: an adjective, a material (or colour,
/// or origin) and a noun with its typical price, as in "Trail Suede Hiking Boot".
/// <c>ReplenishAfterDays</c> is set for consumables: how long one purchase lasts, so repeat buyers reorder about then.
/// </summary>
internal sealed record DemoCategory(
    string Name,
    string SkuPrefix,
    string Title,
    double Share,
    int? ReplenishAfterDays,
    IReadOnlyList<string> Brands,
    IReadOnlyList<string> Adjectives,
    IReadOnlyList<string> Materials,
    IReadOnlyList<(string Noun, double Price)> Nouns);
