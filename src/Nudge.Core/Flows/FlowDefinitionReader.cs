using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nudge.Core.Ingestion;
using NodaTime;
using Nudge.Core.Segments;

namespace Nudge.Core.Flows;

/// <summary>
/// Reads a flow definition from JSON and reports every mistake by its path (<c>steps.reminder.template</c>), the
/// way <see cref="SegmentDefinitionReader"/> does for segments, whose condition language flows reuse for filters,
/// splits, triggers and exits. The published schema is <see cref="FlowSchema"/>.
/// </summary>
public static partial class FlowDefinitionReader
{
    /// <summary>The most steps one flow may have.</summary>
    public const int MaxSteps = 200;

    /// <summary>The longest wait (and wait-for-event timeout).</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromDays(365);

    private static readonly string[] _flowKeys = ["name", "description", "trigger", "filter", "exitOn", "reentry", "priority", "start", "steps"];
    private static readonly string[] _eventMatchKeys = ["event", "where"];
    private static readonly string[] _durationKeys = ["minutes", "hours", "days"];
    private static readonly string[] _channels = ["email", "sms", "push"];

    private static readonly Dictionary<string, string[]> _stepKeys = new(StringComparer.Ordinal)
    {
        ["wait"] = ["duration", "maxLateness", "next"],
        ["waitUntil"] = ["time", "days", "fallbackZone", "maxLateness", "next"],
        ["waitForEvent"] = ["event", "timeout", "onEvent", "onTimeout"],
        ["split"] = ["condition", "yes", "no"],
        ["randomSplit"] = ["branches"],
        ["send"] = ["channel", "template", "smartSending", "transactional", "next"],
        ["updateProfile"] = ["trait", "value", "next"],
        ["addToList"] = ["list", "next"],
        ["removeFromList"] = ["list", "next"],
        ["addTag"] = ["tag", "next"],
        ["removeTag"] = ["tag", "next"],
        ["adjustScore"] = ["score", "by", "next"],
        ["webhook"] = ["url", "next"],
        ["assignCoupon"] = ["pool", "next"],
        ["moveToFlow"] = ["flow"],
        ["end"] = [],
    };

    private static readonly Dictionary<string, DayOfWeek> _days = new(StringComparer.OrdinalIgnoreCase)
    {
        ["monday"] = DayOfWeek.Monday, ["tuesday"] = DayOfWeek.Tuesday, ["wednesday"] = DayOfWeek.Wednesday,
        ["thursday"] = DayOfWeek.Thursday, ["friday"] = DayOfWeek.Friday, ["saturday"] = DayOfWeek.Saturday, ["sunday"] = DayOfWeek.Sunday,
    };

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex StepIdPattern();

    /// <summary>Reads a whole flow definition.</summary>
    public static FlowReadResult Read(JsonElement json)
    {
        var errors = new List<FieldError>();
        if (json.ValueKind != JsonValueKind.Object)
            return new FlowReadResult(null, [new FieldError("body", "must be a JSON object with name, trigger, start and steps")]);

        CheckKeys(json, "", "a flow", _flowKeys, errors);
        var name = ReadText(json, "name", "name", required: true, SegmentDefinitionReader.MaxNameLength, errors);
        var description = ReadText(json, "description", "description", required: false, SegmentDefinitionReader.MaxDescriptionLength, errors);
        var trigger = ReadTrigger(json, errors);
        var filter = json.TryGetProperty("filter", out var f) && f.ValueKind != JsonValueKind.Null ? ReadCondition(f, "filter", errors) : null;
        var exits = ReadExits(json, errors);
        var reentry = ReadReentry(json, errors);
        var priority = ReadPriority(json, errors);
        var start = ReadText(json, "start", "start", required: true, 64, errors);
        var steps = ReadSteps(json, errors);

        if (steps is not null && start is not null)
            CheckGraph(start, steps, errors);

        return errors.Count == 0
            ? new FlowReadResult(new FlowDefinition(name!, description, trigger!, filter, exits, reentry!, priority, start!, steps!), errors)
            : new FlowReadResult(null, errors);
    }

    private static FlowTrigger? ReadTrigger(JsonElement json, List<FieldError> errors)
    {
        if (!json.TryGetProperty("trigger", out var node) || node.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("trigger", "is required: an object such as { \"event\": \"Checkout Started\" }, { \"segment\": \"seg_...\", \"on\": \"entered\" }, { \"list\": \"lst_...\" }, { \"schedule\": {...} } or { \"manual\": true }"));
            return null;
        }

        if (node.TryGetProperty("manual", out var manual))
        {
            CheckKeys(node, "trigger", "a manual trigger", ["manual"], errors);
            if (manual.ValueKind != JsonValueKind.True)
                errors.Add(new FieldError("trigger.manual", "must be true"));
            return new ManualTrigger();
        }

        if (node.TryGetProperty("segment", out var segment))
        {
            CheckKeys(node, "trigger", "a segment trigger", ["segment", "on"], errors);
            var segmentId = ReadText(node, "segment", "trigger.segment", required: true, 64, errors);
            var on = ReadText(node, "on", "trigger.on", required: false, 16, errors) ?? "entered";
            if (on is not ("entered" or "exited"))
                errors.Add(new FieldError("trigger.on", "must be entered or exited"));
            return segmentId is null ? null : Trusted(on == "exited" ? "Segment Exited" : "Segment Entered", "segment_id", segmentId, errors);
        }

        if (node.TryGetProperty("schedule", out var schedule))
        {
            CheckKeys(node, "trigger", "a schedule trigger", ["schedule"], errors);
            return ReadSchedule(schedule, errors);
        }

        if (node.TryGetProperty("date", out var date))
        {
            CheckKeys(node, "trigger", "a date trigger", ["date"], errors);
            return ReadDateTrigger(date, errors);
        }

        if (node.TryGetProperty("list", out _))
        {
            CheckKeys(node, "trigger", "a list trigger", ["list"], errors);
            var listId = ReadText(node, "list", "trigger.list", required: true, 64, errors);
            return listId is null ? null : Trusted("List Joined", "list_id", listId, errors);
        }

        return ReadEventMatch(node, "trigger", errors) is { } match ? new EventTrigger(match) : null;
    }

    private static ScheduleTrigger? ReadSchedule(JsonElement node, List<FieldError> errors)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("trigger.schedule", "must be an object: { \"cron\": \"0 10 * * *\", \"timeZone\": \"Europe/Berlin\", \"segment\": \"seg_...\" }"));
            return null;
        }
        CheckKeys(node, "trigger.schedule", "a schedule", ["cron", "timeZone", "segment"], errors);
        var cron = ReadText(node, "cron", "trigger.schedule.cron", required: true, 100, errors);
        var zone = ReadText(node, "timeZone", "trigger.schedule.timeZone", required: false, 64, errors) ?? "UTC";
        var segment = ReadText(node, "segment", "trigger.schedule.segment", required: true, 64, errors);
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
        {
            errors.Add(new FieldError("trigger.schedule.timeZone", $"is not a known IANA time zone: '{zone}'"));
            return null;
        }
        if (cron is null || segment is null)
            return null;
        var trigger = new ScheduleTrigger(cron, zone, segment);
        try
        {
            trigger.Next(DateTimeOffset.UnixEpoch);
        }
        catch (Exception ex) when (ex is Cronos.CronFormatException or TimeZoneNotFoundException)
        {
            errors.Add(new FieldError("trigger.schedule.cron", "is not a cron expression (minute hour day month weekday, e.g. \"0 10 * * *\"): " + ex.Message));
            return null;
        }
        return trigger;
    }

    private static DateTrigger? ReadDateTrigger(JsonElement node, List<FieldError> errors)
    {
        const string Path = "trigger.date";
        if (node.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(Path, "must be an object: { \"property\": \"traits.birthday\", \"offsetDays\": 0, \"yearly\": true, \"time\": \"10:00\" }"));
            return null;
        }
        CheckKeys(node, Path, "a date trigger", ["property", "offsetDays", "yearly", "time", "fallbackZone"], errors);
        var property = ReadText(node, "property", Path + ".property", required: true, 200, errors);
        if (property is not null && ProfileProperties.KindOf(property) is { } kind && kind != ProfilePropertyKind.Date && kind != ProfilePropertyKind.Any)
            errors.Add(new FieldError(Path + ".property", $"'{property}' is not a date property"));

        var offset = 0;
        if (node.TryGetProperty("offsetDays", out var o) && (!o.TryGetInt32(out offset) || Math.Abs(offset) > 365))
            errors.Add(new FieldError(Path + ".offsetDays", "must be a whole number of days from -365 to 365"));
        var yearly = true;
        if (node.TryGetProperty("yearly", out var y))
        {
            if (y.ValueKind is JsonValueKind.True or JsonValueKind.False)
                yearly = y.GetBoolean();
            else
                errors.Add(new FieldError(Path + ".yearly", "must be true or false"));
        }
        var timeText = ReadText(node, "time", Path + ".time", required: false, 8, errors) ?? "09:00";
        if (!TimeOnly.TryParseExact(timeText, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            errors.Add(new FieldError(Path + ".time", "must be a time of day as HH:mm, e.g. \"10:00\""));
        var zone = ReadText(node, "fallbackZone", Path + ".fallbackZone", required: false, 64, errors) ?? "UTC";
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
            errors.Add(new FieldError(Path + ".fallbackZone", $"is not a known IANA time zone: '{zone}'"));
        return property is null ? null : new DateTrigger(property, offset, yearly, time, zone);
    }

    private static EventTrigger? Trusted(string eventName, string property, string id, List<FieldError> errors)
    {
        var json = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["event"] = eventName,
            ["where"] = new[] { new Dictionary<string, string> { ["property"] = property, ["operator"] = "equals", ["value"] = id } },
        });
        return ReadEventMatch(json, "trigger", errors) is { } match ? new EventTrigger(match, TrustedOnly: true) : null;
    }

    /// <summary>An event with optional property filters: the shape of triggers, exits and wait-for-event.</summary>
    private static EventCondition? ReadEventMatch(JsonElement node, string path, List<FieldError> errors)
    {
        if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty("event", out _))
        {
            errors.Add(new FieldError(path, "must be an event to match, e.g. { \"event\": \"Order Completed\", \"where\": [...] }"));
            return null;
        }
        CheckKeys(node, path, "an event match", _eventMatchKeys, errors);
        return ReadCondition(node, path, errors) as EventCondition;
    }

    private static Condition? ReadCondition(JsonElement node, string path, List<FieldError> errors)
    {
        var read = SegmentDefinitionReader.ReadCondition(node, path);
        errors.AddRange(read.Errors);
        return read.Condition;
    }

    private static ImmutableArray<EventCondition> ReadExits(JsonElement json, List<FieldError> errors)
    {
        if (!json.TryGetProperty("exitOn", out var node) || node.ValueKind == JsonValueKind.Null)
            return [];
        if (node.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FieldError("exitOn", "must be an array of events, e.g. [{ \"event\": \"Order Completed\" }]"));
            return [];
        }
        var exits = ImmutableArray.CreateBuilder<EventCondition>();
        var index = 0;
        foreach (var item in node.EnumerateArray())
        {
            if (ReadEventMatch(item, $"exitOn[{index}]", errors) is { } exit)
                exits.Add(exit);
            index++;
        }
        return exits.ToImmutable();
    }

    private static ReentryRule? ReadReentry(JsonElement json, List<FieldError> errors)
    {
        if (!json.TryGetProperty("reentry", out var node) || node.ValueKind == JsonValueKind.Null)
            return ReentryRule.Once;
        if (node.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("reentry", "must be an object: { \"mode\": \"once\" }, { \"mode\": \"everyTime\" } or { \"mode\": \"oncePer\", \"days\": 30 }"));
            return null;
        }
        CheckKeys(node, "reentry", "reentry", ["mode", "days"], errors);
        switch (ReadText(node, "mode", "reentry.mode", required: true, 16, errors))
        {
            case "once":
                return ReentryRule.Once;
            case "everyTime":
                return new ReentryRule(ReentryMode.EveryTime);
            case "oncePer":
                if (node.TryGetProperty("days", out var days) && days.TryGetInt32(out var n) && n is >= 1 and <= SegmentDefinitionReader.MaxDays)
                    return new ReentryRule(ReentryMode.OncePer, TimeSpan.FromDays(n));
                errors.Add(new FieldError("reentry.days", $"is required for oncePer: a whole number of days from 1 to {SegmentDefinitionReader.MaxDays}"));
                return null;
            case null:
                return null;
            default:
                errors.Add(new FieldError("reentry.mode", "must be once, everyTime or oncePer"));
                return null;
        }
    }

    private static int ReadPriority(JsonElement json, List<FieldError> errors)
    {
        if (!json.TryGetProperty("priority", out var node) || node.ValueKind == JsonValueKind.Null)
            return 0;
        if (node.ValueKind == JsonValueKind.Number && node.TryGetInt32(out var priority) && priority is >= 0 and <= 100)
            return priority;
        errors.Add(new FieldError("priority", "must be a whole number from 0 to 100"));
        return 0;
    }

    private static ImmutableDictionary<string, FlowStep>? ReadSteps(JsonElement json, List<FieldError> errors)
    {
        if (!json.TryGetProperty("steps", out var node) || node.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("steps", "is required: an object of steps by id, e.g. { \"wait\": { \"type\": \"wait\", \"duration\": { \"hours\": 1 }, \"next\": \"remind\" } }"));
            return null;
        }

        var steps = ImmutableDictionary.CreateBuilder<string, FlowStep>(StringComparer.Ordinal);
        var count = 0;
        var valid = true;
        foreach (var property in node.EnumerateObject())
        {
            var path = "steps." + property.Name;
            if (++count > MaxSteps)
            {
                errors.Add(new FieldError("steps", $"too many steps: a flow has at most {MaxSteps}"));
                return null;
            }
            if (!StepIdPattern().IsMatch(property.Name))
            {
                errors.Add(new FieldError(path, "step ids are 1 to 64 letters, digits, '-' or '_'"));
                valid = false;
                continue;
            }
            if (ReadStep(property.Name, property.Value, path, errors) is { } step)
                steps[property.Name] = step;
            else
                valid = false;
        }
        if (count == 0)
        {
            errors.Add(new FieldError("steps", "must have at least one step"));
            return null;
        }
        return valid ? steps.ToImmutable() : null;
    }

    /// <summary>Every step named exists, the start among them, the graph has no loop and every step can be reached.</summary>
    private static void CheckGraph(string start, ImmutableDictionary<string, FlowStep> steps, List<FieldError> errors)
    {
        if (!steps.ContainsKey(start))
            errors.Add(new FieldError("start", $"names no step: '{start}'"));
        foreach (var step in steps.Values)
        {
            foreach (var next in step.Successors.Where(next => !steps.ContainsKey(next)))
                errors.Add(new FieldError("steps." + step.Id, $"leads to '{next}', which is no step of this flow"));
        }
        if (errors.Count > 0)
            return;

        // Depth-first walk: a step met again while still on the path closes a loop.
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false = on the path, true = done
        var stack = new Stack<(string Id, IEnumerator<string> Next)>();
        stack.Push((start, steps[start].Successors.GetEnumerator()));
        state[start] = false;
        while (stack.Count > 0)
        {
            var (id, next) = stack.Peek();
            if (!next.MoveNext())
            {
                state[id] = true;
                stack.Pop();
                continue;
            }
            if (!state.TryGetValue(next.Current, out var done))
            {
                state[next.Current] = false;
                stack.Push((next.Current, steps[next.Current].Successors.GetEnumerator()));
            }
            else if (!done)
            {
                errors.Add(new FieldError("steps." + id, $"leads back to '{next.Current}': flows may not loop (use re-entry rules to run again)"));
                return;
            }
        }
        foreach (var unreachable in steps.Keys.Where(id => !state.ContainsKey(id)).Order(StringComparer.Ordinal))
            errors.Add(new FieldError("steps." + unreachable, "is never reached from start"));
    }

    private static void CheckKeys(JsonElement node, string path, string what, IReadOnlyCollection<string> allowed, List<FieldError> errors)
    {
        foreach (var property in node.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                var field = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                errors.Add(new FieldError(field, allowed.Count == 0
                    ? $"is not a field of {what}"
                    : $"is not a field of {what}; expected {string.Join(", ", allowed)}"));
            }
        }
    }

    private static string? ReadText(JsonElement node, string key, string field, bool required, int maxLength, List<FieldError> errors)
    {
        if (!node.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
                errors.Add(new FieldError(field, "is required"));
            return null;
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (string.IsNullOrEmpty(text))
            errors.Add(new FieldError(field, "must be a non-empty string"));
        else if (text.Length > maxLength)
            errors.Add(new FieldError(field, $"must be at most {maxLength.ToString(CultureInfo.InvariantCulture)} characters"));
        else
            return text;
        return null;
    }
}
