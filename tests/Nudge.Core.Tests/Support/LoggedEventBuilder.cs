using System.Text.Json;
using System.Text.Json.Nodes;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;

namespace Nudge.Core.Tests.Support;

/// <summary>
/// Builds one <see cref="LoggedEvent"/>: by default sent with a server key at <see cref="Some.Start"/>,
/// logged under <see cref="Some.ProfileId"/>, with the next log sequence number.
/// </summary>
/// <remarks>
/// The sequence number is taken when the event is first built, so events get them in the order a test
/// applies them; building the same builder again gives the same event.
/// </remarks>
internal sealed class LoggedEventBuilder
{
    private static long _lastSequence;

    private readonly MessageType _type;
    private readonly string? _name;
    private readonly JsonObject _body;
    private readonly List<IdentityKey> _linked = [];
    private readonly List<string> _absorbed = [];
    private readonly List<RefusedIdentity> _refused = [];
    private long? _sequence;
    private string _profileId = Some.ProfileId;
    private string _messageId = Some.MessageId();
    private DateTimeOffset _at = Some.Start;
    private KeyKind _keyKind = KeyKind.Server;

    public LoggedEventBuilder(MessageType type, string? name, JsonObject body)
    {
        _type = type;
        _name = name;
        _body = body;
    }

    public LoggedEventBuilder At(DateTimeOffset at)
    {
        _at = at;
        return this;
    }

    public LoggedEventBuilder WithSequence(long sequence)
    {
        _sequence = sequence;
        return this;
    }

    public LoggedEventBuilder WithMessageId(string messageId)
    {
        _messageId = messageId;
        return this;
    }

    public LoggedEventBuilder LoggedUnder(string profileId)
    {
        _profileId = profileId;
        return this;
    }

    public LoggedEventBuilder FromBrowser()
    {
        _keyKind = KeyKind.Browser;
        return this;
    }

    public LoggedEventBuilder SentWith(KeyKind keyKind)
    {
        _keyKind = keyKind;
        return this;
    }

    public LoggedEventBuilder WithContext(JsonObject context)
    {
        _body["context"] = context;
        return this;
    }

    /// <summary>Ids identity resolution linked to the profile for this event.</summary>
    public LoggedEventBuilder Linking(params IdentityKey[] keys)
    {
        _linked.AddRange(keys);
        return this;
    }

    /// <summary>Ids identity resolution refused to link for this event.</summary>
    public LoggedEventBuilder Refusing(params IdentityKey[] keys)
    {
        _refused.AddRange(keys.Select(k => new RefusedIdentity(k, "refused in a test")));
        return this;
    }

    public LoggedEventBuilder Absorbing(params string[] profileIds)
    {
        _absorbed.AddRange(profileIds);
        return this;
    }

    public LoggedEvent ToLoggedEvent() => new(
        _sequence ??= Interlocked.Increment(ref _lastSequence),
        Some.Workspace,
        _profileId,
        _messageId,
        _type,
        _name,
        _at,
        _at.AddSeconds(1),
        _keyKind,
        JsonSerializer.SerializeToElement(_body),
        new EventIdentity([.. _linked], [.. _absorbed], [.. _refused]));

    public static implicit operator LoggedEvent(LoggedEventBuilder builder) => builder.ToLoggedEvent();
}
