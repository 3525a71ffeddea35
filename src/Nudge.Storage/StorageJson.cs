using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nudge.Storage;

/// <summary>The JSON settings for everything Nudge stores as JSON (profile state, identity notes).</summary>
public static class StorageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
