using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using NodaTime;
using Nudge.Core.Ingestion;

namespace Nudge.Core.Flows;

public static partial class FlowDefinitionReader
{
    private static FlowStep? ReadStep(string id, JsonElement node, string path, List<FieldError> errors)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, "must be a step object with a type"));
            return null;
        }
        var type = ReadText(node, "type", path + ".type", required: true, 32, errors);
        if (type is null)
            return null;
        if (!_stepKeys.TryGetValue(type, out var keys))
        {
            errors.Add(new FieldError(path + ".type", $"is not a step type; expected {string.Join(", ", _stepKeys.Keys)}"));
            return null;
        }
        CheckKeys(node, path, $"a {type} step", [.. keys, "type"], errors);
        var before = errors.Count;
        string? Next(string key = "next") => ReadText(node, key, $"{path}.{key}", required: false, 64, errors);

        FlowStep? step = type switch
        {
            "wait" => ReadDuration(node, "duration", path, required: true, errors) is { } duration
                ? new WaitStep(id, duration, ReadDuration(node, "maxLateness", path, required: false, errors), Next())
                : null,
            "waitUntil" => ReadWaitUntil(id, node, path, errors, Next()),
            "waitForEvent" => node.TryGetProperty("event", out var match) && ReadEventMatch(match, path + ".event", errors) is { } e
                && ReadDuration(node, "timeout", path, required: true, errors) is { } timeout
                    ? new WaitForEventStep(id, e, timeout, Next("onEvent"), Next("onTimeout"))
                    : Missing(node, "event", path, errors),
            "split" => node.TryGetProperty("condition", out var condition) && ReadCondition(condition, path + ".condition", errors) is { } c
                ? new ConditionalSplitStep(id, c, Next("yes"), Next("no"))
                : Missing(node, "condition", path, errors),
            "randomSplit" => ReadRandomSplit(id, node, path, errors),
            "send" => ReadSend(id, node, path, errors, Next()),
            "updateProfile" => ReadText(node, "trait", path + ".trait", required: true, 200, errors) is { } trait
                && node.TryGetProperty("value", out var value)
                    ? new UpdateProfileStep(id, trait, value.Clone(), Next())
                    : Missing(node, "value", path, errors),
            "addToList" or "removeFromList" => ReadText(node, "list", path + ".list", required: true, 64, errors) is { } list
                ? new ListStep(id, list, type == "addToList", Next())
                : null,
            "addTag" or "removeTag" => ReadText(node, "tag", path + ".tag", required: true, 100, errors) is { } tag
                ? new TagStep(id, tag, type == "addTag", Next())
                : null,
            "adjustScore" => node.TryGetProperty("by", out var by) && by.ValueKind == JsonValueKind.Number && by.TryGetDecimal(out var delta)
                ? new AdjustScoreStep(id, ReadText(node, "score", path + ".score", required: false, 100, errors) ?? "score", delta, Next())
                : Error(path + ".by", "is required: the number to add, e.g. 10 or -5", errors),
            "webhook" => ReadText(node, "url", path + ".url", required: true, 2000, errors) is { } url
                ? Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
                    ? new WebhookStep(id, uri, Next())
                    : Error(path + ".url", "must be an absolute http(s) URL", errors)
                : null,
            "assignCoupon" => ReadText(node, "pool", path + ".pool", required: true, 64, errors) is { } pool ? new AssignCouponStep(id, pool, Next()) : null,
            "moveToFlow" => ReadText(node, "flow", path + ".flow", required: true, 64, errors) is { } flow ? new MoveToFlowStep(id, flow) : null,
            _ => new EndStep(id),
        };
        return errors.Count == before ? step : null;
    }

    private static FlowStep? Missing(JsonElement node, string key, string path, List<FieldError> errors) =>
        node.TryGetProperty(key, out _) ? null : Error($"{path}.{key}", "is required", errors);

    private static FlowStep? Error(string field, string message, List<FieldError> errors)
    {
        errors.Add(new FieldError(field, message));
        return null;
    }

    private static WaitUntilStep? ReadWaitUntil(string id, JsonElement node, string path, List<FieldError> errors, string? next)
    {
        var text = ReadText(node, "time", path + ".time", required: true, 8, errors);
        TimeOnly time = default;
        if (text is not null && !TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
            errors.Add(new FieldError(path + ".time", "must be a time of day as HH:mm, e.g. \"10:00\""));

        var days = ImmutableArray.CreateBuilder<DayOfWeek>();
        if (node.TryGetProperty("days", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
                errors.Add(new FieldError(path + ".days", "must be a non-empty array of weekdays, e.g. [\"monday\", \"friday\"]"));
            else
            {
                var index = 0;
                foreach (var day in list.EnumerateArray())
                {
                    if (day.ValueKind == JsonValueKind.String && _days.TryGetValue(day.GetString()!, out var weekday))
                        days.Add(weekday);
                    else
                        errors.Add(new FieldError($"{path}.days[{index}]", "must be a weekday: monday ... sunday"));
                    index++;
                }
            }
        }

        var zone = ReadText(node, "fallbackZone", path + ".fallbackZone", required: false, 64, errors) ?? "UTC";
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
            errors.Add(new FieldError(path + ".fallbackZone", $"is not a known IANA time zone: '{zone}'"));

        var maxLateness = ReadDuration(node, "maxLateness", path, required: false, errors);
        return text is null ? null : new WaitUntilStep(id, time, days.ToImmutable(), zone, maxLateness, next);
    }

    private static RandomSplitStep? ReadRandomSplit(string id, JsonElement node, string path, List<FieldError> errors)
    {
        if (!node.TryGetProperty("branches", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is < 2 or > 10)
        {
            errors.Add(new FieldError(path + ".branches", "is required: 2 to 10 branches, e.g. [{ \"name\": \"A\", \"weight\": 50, \"next\": \"a\" }, ...]"));
            return null;
        }
        var branches = ImmutableArray.CreateBuilder<SplitBranch>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var field = $"{path}.branches[{index}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError(field, "must be an object with weight and next"));
                continue;
            }
            CheckKeys(item, field, "a branch", ["name", "weight", "next"], errors);
            var name = ReadText(item, "name", field + ".name", required: false, 64, errors) ?? ((char)('A' + index)).ToString();
            if (!item.TryGetProperty("weight", out var w) || !w.TryGetInt32(out var weight) || weight is < 1 or > 10_000)
            {
                errors.Add(new FieldError(field + ".weight", "must be a whole number from 1 to 10000"));
                weight = 1;
            }
            branches.Add(new SplitBranch(name, weight, ReadText(item, "next", field + ".next", required: false, 64, errors)));
            index++;
        }
        return new RandomSplitStep(id, branches.ToImmutable());
    }

    private static SendStep? ReadSend(string id, JsonElement node, string path, List<FieldError> errors, string? next)
    {
        var channel = ReadText(node, "channel", path + ".channel", required: true, 16, errors);
        if (channel is not null && !_channels.Contains(channel))
            errors.Add(new FieldError(path + ".channel", "must be email, sms or push"));
        var template = ReadText(node, "template", path + ".template", required: true, 64, errors);

        TimeSpan? smartSending = null;
        if (node.TryGetProperty("smartSending", out var smart) && smart.ValueKind != JsonValueKind.Null)
        {
            smartSending = smart.ValueKind switch
            {
                JsonValueKind.False => TimeSpan.Zero,
                JsonValueKind.Object => ReadDuration(node, "smartSending", path, required: true, errors),
                _ => null,
            };
            if (smart.ValueKind is not (JsonValueKind.False or JsonValueKind.Object))
                errors.Add(new FieldError(path + ".smartSending", "must be false (off for this step) or a window, e.g. { \"hours\": 4 }"));
        }

        var transactional = false;
        if (node.TryGetProperty("transactional", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            if (t.ValueKind is JsonValueKind.True or JsonValueKind.False)
                transactional = t.GetBoolean();
            else
                errors.Add(new FieldError(path + ".transactional", "must be true or false"));
        }
        return channel is null || template is null ? null : new SendStep(id, channel, template, smartSending, transactional, next);
    }

    /// <summary>A duration such as <c>{ "hours": 1 }</c> or <c>{ "days": 2, "hours": 12 }</c>, up to <see cref="LongestWait"/>.</summary>
    internal static TimeSpan? ReadDuration(JsonElement node, string key, string path, bool required, List<FieldError> errors)
    {
        var field = path.Length == 0 ? key : $"{path}.{key}";
        if (!node.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
                errors.Add(new FieldError(field, "is required: a duration such as { \"hours\": 1 } or { \"days\": 3 }"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object || !value.EnumerateObject().Any())
        {
            errors.Add(new FieldError(field, "must be a duration such as { \"hours\": 1 } or { \"days\": 3 }"));
            return null;
        }
        CheckKeys(value, field, "a duration", _durationKeys, errors);
        var total = TimeSpan.Zero;
        foreach (var unit in _durationKeys)
        {
            if (!value.TryGetProperty(unit, out var amount))
                continue;
            if (!amount.TryGetInt32(out var n) || n < 0 || n > 525_600)
            {
                errors.Add(new FieldError($"{field}.{unit}", "must be a whole number, 0 or more"));
                return null;
            }
            total += unit switch { "minutes" => TimeSpan.FromMinutes(n), "hours" => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) };
        }
        if (total > LongestWait)
        {
            errors.Add(new FieldError(field, "is too long: at most 365 days"));
            return null;
        }
        return total;
    }
}
