using System.Text.Json.Nodes;

namespace Nudge.Channels.Templates.Blocks;

/// <summary>
/// Data a template can ask for about its recipient while it renders — product feeds and segment membership —
/// fetched only when the template uses it (most templates use neither), at most once per message.
/// </summary>
public interface IRenderLookups
{
    /// <summary>The products of one feed (<see cref="ProductFeeds"/>), in the order to show them; empty when it has none.</summary>
    ValueTask<JsonArray> ProductsAsync(string feed);

    /// <summary>The ids and names of the segments the recipient is in now.</summary>
    ValueTask<IReadOnlyCollection<string>> SegmentsAsync();
}
