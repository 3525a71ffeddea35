using System.Text;

namespace Nudge.Server.Demo;

/// <summary>Common given and family names by language, so a customer in Lyon is not called Jan Jansen.</summary>
internal static class DemoNames
{
    private static readonly Dictionary<string, (string[] First, string[] Last)> _byLanguage = new(StringComparer.Ordinal)
    {
        ["de"] = (
            ["Anna", "Lena", "Laura", "Julia", "Sarah", "Lisa", "Katharina", "Marie", "Sophie", "Jana", "Jonas", "Lukas", "Felix", "Maximilian", "Paul", "Leon", "Tobias", "Jan", "Stefan", "Michael", "Jürgen", "Sabine"],
            ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Braun", "Zimmermann", "Hartmann", "Krüger"]),
        ["fr"] = (
            ["Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Claire", "Emma", "Louise", "Lucas", "Hugo", "Louis", "Thomas", "Nicolas", "Julien", "Antoine", "Maxime", "François", "Mathieu"],
            ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Fontaine", "Girard"]),
        ["nl"] = (
            ["Emma", "Sanne", "Lotte", "Fleur", "Anouk", "Lieke", "Eva", "Sophie", "Femke", "Noor", "Daan", "Sem", "Lars", "Thijs", "Bram", "Ruben", "Jesse", "Pieter", "Joris", "Wouter"],
            ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peeters", "Maes", "Willems", "Claes", "Goossens"]),
        ["es"] = (
            ["Lucía", "María", "Paula", "Laura", "Marta", "Sara", "Carmen", "Elena", "Alba", "Claudia", "Hugo", "Pablo", "Daniel", "Alejandro", "Javier", "Carlos", "Sergio", "David", "Adrián", "Jorge"],
            ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Navarro", "Torres"]),
        ["it"] = (
            ["Giulia", "Sofia", "Martina", "Chiara", "Francesca", "Sara", "Alessia", "Elena", "Valentina", "Federica", "Luca", "Marco", "Alessandro", "Matteo", "Lorenzo", "Andrea", "Francesco", "Davide", "Simone", "Giorgio"],
            ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Giordano", "Mancini", "Rizzo", "Lombardi", "Moretti"]),
        ["en"] = (
            ["Emily", "Olivia", "Sophie", "Jessica", "Grace", "Chloe", "Hannah", "Aoife", "Niamh", "Charlotte", "James", "Oliver", "Jack", "Harry", "Thomas", "Daniel", "Conor", "Sean", "Matthew", "Ben"],
            ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Walsh", "Murphy", "Kelly", "O'Brien", "Byrne", "Ryan", "Clarke", "Hughes", "Wright", "Green", "Hall", "Wood", "Harris"]),
        ["pt"] = (
            ["Maria", "Beatriz", "Ana", "Inês", "Mariana", "Leonor", "Carolina", "Joana", "João", "Tiago", "Rodrigo", "Martim", "Diogo", "Miguel", "Pedro", "Rui"],
            ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Gonçalves", "Gomes", "Lopes", "Marques", "Almeida"]),
        ["fi"] = (
            ["Aino", "Emma", "Sofia", "Helmi", "Venla", "Laura", "Eino", "Leo", "Väinö", "Onni", "Mikko", "Juha", "Antti", "Ville"],
            ["Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Saarinen"]),
    };

    /// <summary>Names for a locale such as <c>fr-BE</c>; falls back to English.</summary>
    public static (string[] First, string[] Last) For(string locale) =>
        _byLanguage.TryGetValue(locale[..2], out var names) ? names : _byLanguage["en"];

    /// <summary>Lower-case ASCII for an e-mail local part: "Lefèvre" → "lefevre", "van den Berg" → "vandenberg".</summary>
    public static string ToAscii(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            var folded = c switch
            {
                'á' or 'à' or 'â' or 'ä' or 'ã' or 'å' => "a",
                'é' or 'è' or 'ê' or 'ë' => "e",
                'í' or 'ì' or 'î' or 'ï' => "i",
                'ó' or 'ò' or 'ô' or 'ö' or 'õ' or 'ø' => "o",
                'ú' or 'ù' or 'û' or 'ü' => "u",
                'ñ' => "n",
                'ç' => "c",
                'ß' => "ss",
                >= 'a' and <= 'z' => c.ToString(),
                _ => "",
            };
            builder.Append(folded);
        }

        return builder.ToString();
    }
}
