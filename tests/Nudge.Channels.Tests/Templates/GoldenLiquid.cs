using System.Text.Json;
using Nudge.Channels.Templates;
using Nudge.Channels.Templates.Rendering;
using Nudge.Channels.Tests.Support;

namespace Nudge.Channels.Tests.Templates;

/// <summary>One case of the golden-liquid suite and what Nudge's renderer made of it.</summary>
public sealed record GoldenCase(string Name, bool Passed, string Expected, string Actual);

/// <summary>Runs the golden-liquid conformance suite against <see cref="TemplateEngine"/> as Nudge configures it.</summary>
public static class GoldenLiquid
{
    private static readonly DateTimeOffset Now = new(2026, 3, 12, 14, 30, 0, TimeSpan.Zero);

    public static async Task<IReadOnlyList<GoldenCase>> RunAsync(TemplateEngine engine)
    {
        using var suite = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(SharedData.GoldenLiquid, "golden_liquid.json")));
        var results = new List<GoldenCase>();
        foreach (var test in suite.RootElement.GetProperty("tests").EnumerateArray())
            results.Add(await RunAsync(engine, test));
        return results;
    }

    private static async Task<GoldenCase> RunAsync(TemplateEngine engine, JsonElement test)
    {
        var name = test.GetProperty("name").GetString()!;
        var source = test.GetProperty("template").GetString()!;
        var invalid = test.TryGetProperty("invalid", out var flag) && flag.GetBoolean();
        var expected = invalid ? ["(an error)"]
            : test.TryGetProperty("results", out var many) ? many.EnumerateArray().Select(r => r.GetString()!).ToList()
            : [test.GetProperty("result").GetString()!];
        var partials = test.TryGetProperty("templates", out var files)
            ? files.EnumerateObject().Select(f => new PartialSource(f.Name, TemplateKind.Partial, f.Value.GetString()!))
            : [];
        var variables = test.TryGetProperty("data", out var data) ? TemplateVariables.FromJson(data) : new TemplateVariables();

        string actual;
        var errors = engine.Check(TemplateKind.Partial, new TemplateParts(Body: source), partials: null);
        if (errors.Count > 0)
        {
            actual = "(error) " + string.Join("; ", errors);
        }
        else
        {
            try
            {
                var rendered = await engine.RenderSourceAsync(source, variables, new PartialLibrary(partials), RenderSettings.Default, Now);
                actual = rendered.Output;
            }
            catch (TemplateRenderException e)
            {
                actual = "(error) " + e.Reason;
            }
        }

        var passed = invalid ? actual.StartsWith("(error)", StringComparison.Ordinal) : expected.Contains(actual);
        return new GoldenCase(name, passed, string.Join(" | ", expected), actual);
    }
}
