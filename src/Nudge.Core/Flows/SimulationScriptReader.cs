using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;

namespace Nudge.Core.Flows;

/// <summary>
/// Reads a simulation request: <c>{ "profile": {...}, "segments": [...], "trigger": { "event": ..., "properties": ... },
/// "data": {...}, "events": [{ "after": { "hours": 2 }, "event": ..., "properties": ... }], "start": ..., "horizon": { "days": 30 } }</c>.
/// A described profile has <c>email</c>, <c>phone</c>, <c>timeZone</c>, <c>traits</c>, <c>consent</c> (channel to true/false) and <c>lists</c>.
/// </summary>
public static class SimulationScriptReader
{
    /// <summary>How far a simulation looks ahead when the request does not say.</summary>
    public static readonly TimeSpan DefaultHorizon = TimeSpan.FromDays(400);

    private const int MaxEvents = 1000;

    /// <summary>Reads the request; <paramref name="realProfile"/> replaces the described one when the request names a stored profile.</summary>
    public static (SimulationScript? Script, IReadOnlyList<FieldError> Errors) Read(JsonElement body, Profile? realProfile, string workspaceId, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        if (body.ValueKind != JsonValueKind.Object)
            return (null, [new FieldError("body", "must be a JSON object")]);

        var profile = realProfile ?? DescribedProfile(body, workspaceId, errors);
        var segments = Strings(body, "segments", errors).ToHashSet(StringComparer.Ordinal);
        var trigger = body.TryGetProperty("trigger", out var t) && t.ValueKind != JsonValueKind.Null ? ReadEvent(t, "trigger", after: false, errors) : null;
        var data = body.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d.Clone() : JsonSerializer.SerializeToElement(new { });

        var events = new List<SimulatedEvent>();
        if (body.TryGetProperty("events", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > MaxEvents)
                errors.Add(new FieldError("events", $"must be an array of at most {MaxEvents} events"));
            else
            {
                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    if (ReadEvent(item, $"events[{index}]", after: true, errors) is { } e)
                        events.Add(e);
                    index++;
                }
            }
        }

        var start = now;
        if (body.TryGetProperty("start", out var s) && s.ValueKind != JsonValueKind.Null
            && (s.ValueKind != JsonValueKind.String || !DateTimeOffset.TryParse(s.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out start)))
        {
            errors.Add(new FieldError("start", "must be a date and time, e.g. \"2026-12-01T09:00:00Z\""));
        }
        var horizon = FlowDefinitionReader.ReadDuration(body, "horizon", "", required: false, errors) ?? DefaultHorizon;

        return errors.Count == 0
            ? (new SimulationScript(profile, segments, trigger, data, events, start, horizon), errors)
            : (null, errors);
    }

    private static Profile DescribedProfile(JsonElement body, string workspaceId, List<FieldError> errors)
    {
        var profile = Profile.Empty("prf_simulated", workspaceId);
        if (!body.TryGetProperty("profile", out var node) || node.ValueKind == JsonValueKind.Null)
            return profile;
        if (node.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("profile", "must be an object: { \"email\": ..., \"timeZone\": ..., \"traits\": {...}, \"consent\": {...}, \"lists\": [...] }"));
            return profile;
        }

        var identities = ImmutableList.CreateBuilder<IdentityKey>();
        if (Text(node, "email", "profile.email", errors) is { } email)
            identities.Add(new IdentityKey(IdentityKind.Email, email));
        if (Text(node, "phone", "profile.phone", errors) is { } phone)
            identities.Add(new IdentityKey(IdentityKind.Phone, phone));
        profile = profile with { Identities = identities.ToImmutable(), TimeZone = Text(node, "timeZone", "profile.timeZone", errors) };

        if (node.TryGetProperty("traits", out var traits) && traits.ValueKind == JsonValueKind.Object)
            profile = profile with { Traits = traits.EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal) };
        else if (node.TryGetProperty("traits", out _))
            errors.Add(new FieldError("profile.traits", "must be an object"));

        if (node.TryGetProperty("consent", out var consent) && consent.ValueKind == JsonValueKind.Object)
        {
            var given = ImmutableSortedDictionary.CreateBuilder<string, bool>(StringComparer.Ordinal);
            foreach (var channel in consent.EnumerateObject())
            {
                if (channel.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    given[channel.Name] = channel.Value.GetBoolean();
                else
                    errors.Add(new FieldError("profile.consent." + channel.Name, "must be true or false"));
            }
            profile = profile with { Consent = given.ToImmutable() };
        }

        var lists = Strings(node, "lists", errors, "profile.lists");
        return profile with { Lists = lists.ToImmutableSortedDictionary(l => l, _ => DateTimeOffset.UnixEpoch, StringComparer.Ordinal) };
    }

    private static SimulatedEvent? ReadEvent(JsonElement node, string path, bool after, List<FieldError> errors)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, "must be an event: { \"event\": \"Order Completed\", \"properties\": {...} }"));
            return null;
        }
        var name = Text(node, "event", path + ".event", errors);
        if (name is null)
            errors.Add(new FieldError(path + ".event", "is required"));
        var properties = node.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p.Clone() : JsonSerializer.SerializeToElement(new { });
        var delay = after ? FlowDefinitionReader.ReadDuration(node, "after", path, required: true, errors) : TimeSpan.Zero;
        return name is null || delay is null ? null : new SimulatedEvent(delay.Value, name, properties);
    }

    private static string? Text(JsonElement node, string key, string field, List<FieldError> errors)
    {
        if (!node.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
            return text;
        errors.Add(new FieldError(field, "must be a non-empty string"));
        return null;
    }

    private static IReadOnlyList<string> Strings(JsonElement node, string key, List<FieldError> errors, string? field = null)
    {
        if (!node.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            return [];
        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String))
            return [.. value.EnumerateArray().Select(v => v.GetString()!)];
        errors.Add(new FieldError(field ?? key, "must be an array of ids"));
        return [];
    }
}
