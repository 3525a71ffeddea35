namespace Nudge.Server.Demo;

/// <summary>Where demo customers live: mostly Germany, where the demo shop is based, then its neighbours.</summary>
internal static class DemoPlaces
{
    public static IReadOnlyList<DemoPlace> All { get; } =
    [
        new("Berlin", "DE", "Europe/Berlin", "de-DE", 1, 0.19m, 10),
        new("Hamburg", "DE", "Europe/Berlin", "de-DE", 1, 0.19m, 7),
        new("Munich", "DE", "Europe/Berlin", "de-DE", 1, 0.19m, 7),
        new("Cologne", "DE", "Europe/Berlin", "de-DE", 1, 0.19m, 5),
        new("Vienna", "AT", "Europe/Vienna", "de-AT", 1, 0.20m, 6),
        new("Graz", "AT", "Europe/Vienna", "de-AT", 1, 0.20m, 2),
        new("Paris", "FR", "Europe/Paris", "fr-FR", 1, 0.20m, 8),
        new("Lyon", "FR", "Europe/Paris", "fr-FR", 1, 0.20m, 4),
        new("Amsterdam", "NL", "Europe/Amsterdam", "nl-NL", 1, 0.21m, 6),
        new("Utrecht", "NL", "Europe/Amsterdam", "nl-NL", 1, 0.21m, 3),
        new("Antwerp", "BE", "Europe/Brussels", "nl-BE", 1, 0.21m, 3),
        new("Brussels", "BE", "Europe/Brussels", "fr-BE", 1, 0.21m, 3),
        new("Madrid", "ES", "Europe/Madrid", "es-ES", 1, 0.21m, 5),
        new("Barcelona", "ES", "Europe/Madrid", "es-ES", 1, 0.21m, 4),
        new("Milan", "IT", "Europe/Rome", "it-IT", 1, 0.22m, 5),
        new("Rome", "IT", "Europe/Rome", "it-IT", 1, 0.22m, 3),
        new("Dublin", "IE", "Europe/Dublin", "en-IE", 0, 0.23m, 4),
        new("London", "GB", "Europe/London", "en-GB", 0, 0.20m, 5),
        new("Manchester", "GB", "Europe/London", "en-GB", 0, 0.20m, 2),
        new("Lisbon", "PT", "Europe/Lisbon", "pt-PT", 0, 0.23m, 3),
        new("Helsinki", "FI", "Europe/Helsinki", "fi-FI", 2, 0.255m, 3),
    ];
}
