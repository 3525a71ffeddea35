using System.Text.Json;
using Fluid.Values;

namespace Nudge.Channels.Templates;

/// <summary>
/// The top-level variables of a render (<c>profile</c>, <c>event</c>, ...), already in Liquid's value model so
/// that rendering the same data into several parts converts it once.
/// </summary>
public sealed class TemplateVariables
{
    private readonly List<KeyValuePair<string, FluidValue>> _values = [];

    /// <summary>The variables of a JSON object: each property is one top-level variable.</summary>
    public static TemplateVariables FromJson(JsonElement root)
    {
        var variables = new TemplateVariables();
        if (root.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in root.EnumerateObject())
                variables.Set(property.Name, property.Value);
        }
        return variables;
    }

    /// <summary>Sets a variable from JSON (objects, arrays, strings, numbers, booleans, null).</summary>
    public TemplateVariables Set(string name, JsonElement value) => Set(name, Convert(value));

    /// <summary>Sets a variable.</summary>
    public TemplateVariables Set(string name, FluidValue value)
    {
        var at = _values.FindIndex(v => v.Key == name);
        if (at >= 0)
            _values[at] = new(name, value);
        else
            _values.Add(new(name, value));
        return this;
    }

    /// <summary>The variables in the order they were set.</summary>
    public IReadOnlyList<KeyValuePair<string, FluidValue>> Values => _values;

    /// <summary>Liquid's value for a JSON value.</summary>
    public static FluidValue Convert(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new Dictionary<string, FluidValue>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                    members[property.Name] = Convert(property.Value);
                return new DictionaryValue(new FluidValueDictionaryFluidIndexable(members));
            case JsonValueKind.Array:
                var items = new List<FluidValue>(value.GetArrayLength());
                foreach (var item in value.EnumerateArray())
                    items.Add(Convert(item));
                return new ArrayValue(items);
            case JsonValueKind.String:
                return new StringValue(value.GetString()!);
            case JsonValueKind.Number:
                // Beyond decimal's range (1e30 and up) Liquid's numbers cannot go; the nearest one is close enough.
                return value.TryGetDecimal(out var number)
                    ? NumberValue.Create(number)
                    : NumberValue.Create(value.GetDouble() > 0 ? decimal.MaxValue : decimal.MinValue);
            case JsonValueKind.True:
                return BooleanValue.True;
            case JsonValueKind.False:
                return BooleanValue.False;
            default:
                return NilValue.Instance;
        }
    }
}
