using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nudge.Core.Ingestion;

namespace Nudge.Core.Delivery;

/// <summary>
/// Reads a workspace's delivery policy settings from the JSON document shop owners write (docs/delivery-policy.md)
/// and writes settings back as that document. Every mistake is reported by its path (<c>quietHours.sms.start</c>),
/// reading errors first, then what <see cref="DeliveryPolicySettings.SettingProblems"/> finds in the settings read.
/// </summary>
public static partial class DeliveryPolicyJson
{
    /// <summary>The document's settings; each is required, since a PUT replaces the whole document.</summary>
    private static readonly string[] _settingKeys =
        ["smartSending", "frequencyCaps", "quietHours", "fallbackTimeZone", "channelsWithoutOptIn", "quietHoursHoldTransactional"];

    /// <summary>Bookkeeping a GET adds (<c>version</c>, <c>updatedAt</c>): allowed back in, so a read document can be edited and written.</summary>
    private static readonly string[] _bookkeepingKeys = ["version", "updatedAt"];

    /// <summary>The channels in the order documents list them.</summary>
    private static readonly string[] _channels = [DeliveryChannels.Email, DeliveryChannels.Sms, DeliveryChannels.Push, DeliveryChannels.Webhook];

    /// <summary>Consent only applies to channels that reach a person; a webhook needs none.</summary>
    private static readonly string[] _consentChannels = [DeliveryChannels.Email, DeliveryChannels.Sms, DeliveryChannels.Push];

    private static readonly string[] _durationKeys = ["days", "hours", "minutes"];
    private static readonly string[] _capKeys = ["channel", "max", "window"];
    private static readonly string[] _quietKeys = ["start", "end"];
    private static readonly string[] _clockFormats = ["HH:mm", "H:mm", "HH:mm:ss"];

    private const string DurationHint = "a duration such as { \"hours\": 16 }, { \"days\": 7 } or \"PT16H\"";

    /// <summary>ISO-8601 durations of fixed length: weeks, days, hours, minutes, seconds (no months or years).</summary>
    [GeneratedRegex(@"^P(?:(?<w>\d{1,6})W)?(?:(?<d>\d{1,6})D)?(?:T(?:(?<h>\d{1,7})H)?(?:(?<m>\d{1,9})M)?(?:(?<s>\d{1,11})S)?)?$")]
    private static partial Regex IsoDuration();

    /// <summary>Reads a whole settings document.</summary>
    public static DeliveryPolicyReadResult Read(JsonElement json)
    {
        var errors = new List<FieldError>();
        if (json.ValueKind != JsonValueKind.Object)
            return new(null, [new FieldError("body", "must be a JSON object with " + string.Join(", ", _settingKeys))]);

        foreach (var property in json.EnumerateObject())
        {
            if (!_settingKeys.Contains(property.Name, StringComparer.Ordinal) && !_bookkeepingKeys.Contains(property.Name, StringComparer.Ordinal))
                errors.Add(new FieldError(property.Name, "is not a delivery policy setting; the settings are " + string.Join(", ", _settingKeys)));
        }
        foreach (var key in _settingKeys)
        {
            if (!json.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
                errors.Add(new FieldError(key, "is required: the document replaces every setting (GET /api/delivery/policy gives the current one to edit)"));
        }
        if (errors.Count > 0)
            return new(null, errors);

        var smartSending = ReadSmartSending(json.GetProperty("smartSending"), errors);
        var caps = ReadCaps(json.GetProperty("frequencyCaps"), errors);
        var quietHours = ReadQuietHours(json.GetProperty("quietHours"), errors);
        var zone = json.GetProperty("fallbackTimeZone") is { ValueKind: JsonValueKind.String } z ? z.GetString()! : null;
        if (zone is null)
            errors.Add(new FieldError("fallbackTimeZone", "must be an IANA time zone id such as \"Europe/Berlin\""));
        var withoutOptIn = ReadChannelsWithoutOptIn(json.GetProperty("channelsWithoutOptIn"), errors);
        var hold = json.GetProperty("quietHoursHoldTransactional");
        if (hold.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            errors.Add(new FieldError("quietHoursHoldTransactional", "must be true or false"));

        // Made from what did read, so the settings' own checks (a cap of 0, an unknown time zone) are reported in the
        // same answer as the reading errors: a shop owner fixes everything in one go.
        var settings = new DeliveryPolicySettings
        {
            SmartSendingWindows = smartSending,
            FrequencyCaps = caps,
            QuietHours = quietHours,
            FallbackTimeZone = zone ?? DeliveryPolicySettings.Default.FallbackTimeZone,
            ChannelsWithoutOptIn = withoutOptIn,
            QuietHoursHoldTransactional = hold.ValueKind == JsonValueKind.True,
        };
        foreach (var problem in settings.SettingProblems())
        {
            if (!errors.Any(e => e.Field == problem.Field || e.Field.StartsWith(problem.Field + ".", StringComparison.Ordinal)))
                errors.Add(problem);
        }
        return errors.Count > 0 ? new(null, errors) : new(settings, []);
    }

    /// <summary>Writes settings as the document <see cref="Read"/> reads: channels in a fixed order, off channels left out.</summary>
    public static DeliveryPolicyDocument Write(DeliveryPolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var smart = new Dictionary<string, DurationParts>(StringComparer.Ordinal);
        foreach (var (channel, window) in InOrder(settings.SmartSendingWindows))
        {
            if (window > TimeSpan.Zero)
                smart[channel] = DurationParts.Of(window);
        }
        var quiet = new Dictionary<string, QuietHoursDocument>(StringComparer.Ordinal);
        foreach (var (channel, hours) in InOrder(settings.QuietHours))
        {
            if (hours.Start != hours.End)
                quiet[channel] = new QuietHoursDocument(DeliveryWords.Clock(hours.Start), DeliveryWords.Clock(hours.End));
        }
        return new DeliveryPolicyDocument(
            smart,
            [.. settings.FrequencyCaps.Select(c => new FrequencyCapDocument(c.Channel, c.Max, DurationParts.Of(c.Window)))],
            quiet,
            settings.FallbackTimeZone,
            [.. settings.ChannelsWithoutOptIn.OrderBy(ChannelOrder).ThenBy(c => c, StringComparer.Ordinal)],
            settings.QuietHoursHoldTransactional);
    }

    private static ImmutableDictionary<string, TimeSpan> ReadSmartSending(JsonElement node, List<FieldError> errors)
    {
        var windows = ImmutableDictionary.CreateBuilder<string, TimeSpan>(StringComparer.Ordinal);
        if (node.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("smartSending", "must be an object of channel to window, e.g. { \"email\": { \"hours\": 16 } }"));
            return windows.ToImmutable();
        }
        foreach (var entry in node.EnumerateObject())
        {
            var field = $"smartSending.{entry.Name}";
            if (!CheckChannel(entry.Name, field, _channels, errors))
                continue;
            // false turns smart sending off for the channel, as on a flow's send step; so does leaving the channel out.
            if (entry.Value.ValueKind == JsonValueKind.False)
                continue;
            if (ReadDuration(entry.Value, field, "false (no smart sending) or " + DurationHint, errors) is { } window && window > TimeSpan.Zero)
                windows[entry.Name] = window;
        }
        return windows.ToImmutable();
    }

    private static ImmutableArray<FrequencyCap> ReadCaps(JsonElement node, List<FieldError> errors)
    {
        if (node.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FieldError("frequencyCaps", "must be a list of caps such as { \"channel\": \"email\", \"max\": 3, \"window\": { \"days\": 7 } }"));
            return [];
        }
        var caps = ImmutableArray.CreateBuilder<FrequencyCap>();
        var i = 0;
        foreach (var item in node.EnumerateArray())
        {
            var path = $"frequencyCaps[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError(path, "must be a cap such as { \"channel\": \"email\", \"max\": 3, \"window\": { \"days\": 7 } }"));
                continue;
            }
            CheckKeys(item, path, "a frequency cap", _capKeys, errors);
            string? channel = null;
            if (!item.TryGetProperty("channel", out var c) || c.ValueKind != JsonValueKind.String)
                errors.Add(new FieldError(path + ".channel", "is required: one of " + string.Join(", ", _channels)));
            else if (CheckChannel(c.GetString()!, path + ".channel", _channels, errors))
                channel = c.GetString();
            int? max = null;
            if (!item.TryGetProperty("max", out var m) || !m.TryGetInt32(out var n))
                errors.Add(new FieldError(path + ".max", "is required: a whole number of messages, at least 1"));
            else
                max = n;
            TimeSpan? window = null;
            if (!item.TryGetProperty("window", out var w) || w.ValueKind == JsonValueKind.Null)
                errors.Add(new FieldError(path + ".window", "is required: " + DurationHint));
            else
                window = ReadDuration(w, path + ".window", DurationHint, errors);
            if (channel is not null && max is not null && window is not null)
                caps.Add(new FrequencyCap(channel, max.Value, window.Value));
        }
        return caps.ToImmutable();
    }

    private static ImmutableDictionary<string, QuietHours> ReadQuietHours(JsonElement node, List<FieldError> errors)
    {
        var hours = ImmutableDictionary.CreateBuilder<string, QuietHours>(StringComparer.Ordinal);
        if (node.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("quietHours", "must be an object of channel to hours, e.g. { \"sms\": { \"start\": \"21:00\", \"end\": \"09:00\" } }"));
            return hours.ToImmutable();
        }
        foreach (var entry in node.EnumerateObject())
        {
            var path = $"quietHours.{entry.Name}";
            if (!CheckChannel(entry.Name, path, _channels, errors) || entry.Value.ValueKind == JsonValueKind.False)
                continue;
            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError(path, "must be false (no quiet hours) or { \"start\": \"21:00\", \"end\": \"09:00\" }"));
                continue;
            }
            CheckKeys(entry.Value, path, "quiet hours", _quietKeys, errors);
            var start = ReadClock(entry.Value, "start", path, errors);
            var end = ReadClock(entry.Value, "end", path, errors);
            if (start is not null && end is not null && start != end)
                hours[entry.Name] = new QuietHours(start.Value, end.Value);
        }
        return hours.ToImmutable();
    }

    private static ImmutableHashSet<string> ReadChannelsWithoutOptIn(JsonElement node, List<FieldError> errors)
    {
        var channels = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        if (node.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FieldError("channelsWithoutOptIn", "must be a list of channels, e.g. [\"email\"], or [] for opt-in everywhere"));
            return channels.ToImmutable();
        }
        var i = 0;
        foreach (var item in node.EnumerateArray())
        {
            var field = $"channelsWithoutOptIn[{i++}]";
            if (item.ValueKind != JsonValueKind.String)
                errors.Add(new FieldError(field, "must be one of " + string.Join(", ", _consentChannels)));
            else if (CheckChannel(item.GetString()!, field, _consentChannels, errors))
                channels.Add(item.GetString()!);
        }
        return channels.ToImmutable();
    }

    private static TimeOnly? ReadClock(JsonElement node, string key, string path, List<FieldError> errors)
    {
        var field = $"{path}.{key}";
        if (!node.TryGetProperty(key, out var value) || value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(field, "is required: a local time such as \"21:00\""));
            return null;
        }
        if (TimeOnly.TryParseExact(value.GetString(), _clockFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            return time;
        errors.Add(new FieldError(field, $"must be a local time from \"00:00\" to \"23:59\", such as \"21:00\" (got \"{value.GetString()}\")"));
        return null;
    }

    /// <summary>A window as <c>{ "days": 1, "hours": 12 }</c> or an ISO-8601 duration (<c>"P1DT12H"</c>), in whole minutes.</summary>
    private static TimeSpan? ReadDuration(JsonElement value, string field, string hint, List<FieldError> errors)
    {
        if (value.ValueKind == JsonValueKind.String)
            return ReadIsoDuration(value.GetString()!, field, errors);
        if (value.ValueKind != JsonValueKind.Object || !value.EnumerateObject().Any())
        {
            errors.Add(new FieldError(field, "must be " + hint));
            return null;
        }
        var before = errors.Count;
        CheckKeys(value, field, "a duration", _durationKeys, errors);
        var total = TimeSpan.Zero;
        foreach (var unit in _durationKeys)
        {
            if (!value.TryGetProperty(unit, out var amount))
                continue;
            if (!amount.TryGetInt32(out var n) || n < 0 || n > 525_600)
            {
                errors.Add(new FieldError($"{field}.{unit}", "must be a whole number, 0 or more"));
                continue;
            }
            total += unit switch { "minutes" => TimeSpan.FromMinutes(n), "hours" => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) };
        }
        return errors.Count == before ? total : null;
    }

    private static TimeSpan? ReadIsoDuration(string text, string field, List<FieldError> errors)
    {
        var match = IsoDuration().Match(text);
        if (!match.Success || text is "P" or "PT" || text.EndsWith('T'))
        {
            errors.Add(new FieldError(field, $"must be an ISO-8601 duration in weeks, days, hours and minutes such as \"PT16H\" or \"P7D\" (got \"{text}\")"));
            return null;
        }
        static long Part(Match m, string name) => m.Groups[name].Success ? long.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var seconds = (((((Part(match, "w") * 7) + Part(match, "d")) * 24 + Part(match, "h")) * 60) + Part(match, "m")) * 60 + Part(match, "s");
        if (seconds % 60 != 0)
        {
            errors.Add(new FieldError(field, $"must be whole minutes (got \"{text}\")"));
            return null;
        }
        return TimeSpan.FromSeconds(seconds);
    }

    private static bool CheckChannel(string channel, string field, string[] allowed, List<FieldError> errors)
    {
        if (allowed.Contains(channel, StringComparer.Ordinal))
            return true;
        errors.Add(new FieldError(field, $"'{channel}' is not a channel here; use one of {string.Join(", ", allowed)}"));
        return false;
    }

    private static void CheckKeys(JsonElement node, string path, string what, string[] allowed, List<FieldError> errors)
    {
        foreach (var property in node.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                errors.Add(new FieldError($"{path}.{property.Name}", $"is not part of {what}; use {string.Join(", ", allowed)}"));
        }
    }

    private static IEnumerable<KeyValuePair<string, T>> InOrder<T>(IEnumerable<KeyValuePair<string, T>> entries) =>
        entries.OrderBy(e => ChannelOrder(e.Key)).ThenBy(e => e.Key, StringComparer.Ordinal);

    private static int ChannelOrder(string channel) => Array.IndexOf(_channels, channel) is var i and >= 0 ? i : _channels.Length;
}

/// <summary>The settings read, or every mistake by its field.</summary>
/// <param name="Settings">The settings, when there were no errors.</param>
/// <param name="Errors">Each mistake with its path, e.g. <c>quietHours.sms.start</c>.</param>
public sealed record DeliveryPolicyReadResult(DeliveryPolicySettings? Settings, IReadOnlyList<FieldError> Errors);
