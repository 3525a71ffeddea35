namespace Nudge.Server.Consent;

/// <summary>Settings of the preference center, under <c>Nudge:Preferences</c>.</summary>
public sealed class PreferencesOptions
{
    /// <summary>Longest topic name accepted.</summary>
    public const int MaxTopicLength = 64;

    /// <summary>The newsletter topics people can choose, comma-separated (e.g. "news, offers, restocks"); none by default.</summary>
    public string Topics { get; set; } = "";

    /// <summary>The topics, trimmed, without empty or repeated ones, in the order given.</summary>
    public IReadOnlyList<string> TopicList =>
        Topics.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
}
