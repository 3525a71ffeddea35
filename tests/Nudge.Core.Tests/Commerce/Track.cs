using System.Text.Json;
using Nudge.Core.Commerce;

namespace Nudge.Core.Tests.Commerce;

/// <summary>Parses a track event's name and JSON properties the way ingestion hands them over.</summary>
internal static class Track
{
    public static T Parse<T>(string eventName, string propertiesJson) where T : CommerceEvent =>
        Assert.IsType<T>(CommerceEventParser.Parse(eventName, JsonElement.Parse(propertiesJson)));
}
