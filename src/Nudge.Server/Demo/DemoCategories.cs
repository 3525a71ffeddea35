namespace Nudge.Server.Demo;

/// <summary>
/// The eight categories of the demo shop. Brands are invented. Where materials would make odd pairs
/// ("Fleece Jeans"), the middle word is a colour or finish instead.
/// </summary>
internal static class DemoCategories
{
    public static IReadOnlyList<DemoCategory> All { get; } =
    [
        new("shoes", "SHO", "Shoes", 0.14, null,
            ["Nordpfad", "Kestrel & Co", "Sole Atelier", "Brightstep"],
            ["Trail", "Urban", "Classic", "Featherlight", "Coastal", "Alpine", "Weekend", "Studio"],
            ["Leather", "Suede", "Canvas", "Knit", "Nubuck", "Recycled Mesh"],
            [("Sneaker", 89), ("Runner", 119), ("Hiking Boot", 149), ("Chelsea Boot", 139), ("Loafer", 99), ("Sandal", 59), ("Slip-On", 69)]),
        new("apparel", "APP", "Apparel", 0.20, null,
            ["Fjordline", "Maison Calme", "Oakridge Basics", "Tallow"],
            ["Everyday", "Relaxed", "Slim", "Heritage", "Organic", "Boxy", "Cropped", "Oversized"],
            ["Navy", "Black", "Sand", "Olive", "Off-White", "Charcoal"],
            [("T-Shirt", 25), ("Hoodie", 59), ("Shirt", 45), ("Chinos", 65), ("Jeans", 79), ("Sweater", 69), ("Jacket", 129), ("Dress", 75)]),
        new("outdoor", "OUT", "Outdoor", 0.12, null,
            ["Hochland Gear", "Wildmark", "Cairn Outfitters"],
            ["Summit", "Ridge", "Ultralight", "Expedition", "Basecamp", "Trailhead"],
            ["Alpine Green", "Glacier Blue", "Stone Grey", "Ember Orange", "Black"],
            [("Backpack 30 L", 99), ("Tent 2P", 249), ("Sleeping Bag", 179), ("Rain Jacket", 159), ("Trekking Poles", 69), ("Camping Stool", 35), ("Headlamp", 39)]),
        new("kitchen", "KIT", "Kitchen", 0.13, null,
            ["Kettle & Crumb", "Herdwerk", "Casa Forno"],
            ["Professional", "Classic", "Nordic", "Everyday", "Artisan", "Heritage"],
            ["Graphite", "Sage", "Cream", "Midnight", "Terracotta"],
            [("Frying Pan 28 cm", 59), ("Dutch Oven", 129), ("Chef's Knife", 89), ("Cutting Board", 35), ("Saucepan Set", 149), ("Mixing Bowl", 25), ("Pour-Over Kettle", 49)]),
        new("furniture", "FUR", "Furniture", 0.07, null,
            ["Holmberg", "Atelier Lune", "Raum & Form"],
            ["Scandi", "Mid-Century", "Compact", "Modular", "Rustic"],
            ["Oak", "Walnut", "Ash", "Black Steel", "Rattan", "Natural Pine"],
            [("Lounge Chair", 349), ("Side Table", 129), ("Bookshelf", 279), ("Dining Chair", 149), ("Sofa", 1190), ("Desk", 399), ("Floor Lamp", 159)]),
        new("beauty", "BEA", "Beauty", 0.13, 45,
            ["Lumen Botanics", "Clearwater Skin", "Maren"],
            ["Hydrating", "Soothing", "Brightening", "Gentle", "Nourishing", "Firming"],
            ["Aloe", "Rosehip", "Vitamin C", "Hyaluronic", "Shea", "Green Tea"],
            [("Face Cream 50 ml", 24), ("Serum 30 ml", 29), ("Cleanser 150 ml", 14), ("Body Lotion 250 ml", 16), ("Lip Balm", 6), ("Shampoo 300 ml", 12), ("Eye Cream 15 ml", 22)]),
        new("coffee", "COF", "Coffee", 0.11, 30,
            ["Morgenrot Roasters", "Bean & Bloom", "Altura Coffee"],
            ["Ethiopia Guji", "Colombia Huila", "Brazil Cerrado", "Guatemala Antigua", "Kenya Nyeri", "Peru Cajamarca", "House Blend", "Swiss Water Decaf"],
            ["Espresso Roast", "Filter Roast", "Medium Roast"],
            [("Whole Beans 250 g", 11), ("Whole Beans 1 kg", 34), ("Ground 250 g", 11), ("Capsules x20", 8)]),
        new("electronics", "ELE", "Electronics", 0.10, null,
            ["Voltaic", "Sonora Audio", "Pixelhaus"],
            ["Wireless", "Portable", "Compact", "Pro", "Travel", "Studio"],
            ["Midnight", "Silver", "Graphite", "Sand", "White"],
            [("Headphones", 149), ("Speaker", 79), ("Earbuds", 99), ("Power Bank", 39), ("Smartwatch", 199), ("E-Reader", 129), ("Desk Lamp", 59)]),
    ];
}
