using System.Text.Json.Nodes;

namespace Nudge.Core.Tests.Support;

internal static class JsonObjectExtensions
{
    /// <summary>Changes a message in place and returns it, so a test can state one deviation inline.</summary>
    public static JsonObject Also(this JsonObject body, Action<JsonObject> change)
    {
        change(body);
        return body;
    }
}
