using System.Text.Json;
using Nudge.Channels.Templates;
using Nudge.Channels.Templates.Filters;
using Nudge.Channels.Templates.Rendering;

namespace Nudge.Channels.Tests.Templates;

public sealed class TemplateEngineTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 12, 14, 30, 0, TimeSpan.Zero);
    private readonly TemplateEngine _engine = new();

    [Fact]
    public async Task A_missing_variable_renders_empty_and_is_reported_with_its_path()
    {
        var rendered = await RenderAsync("Hi {{ profile.first_name }}, {{ event.products[0].name }} {{ profile.email }}", """{"profile":{"email":"ada@example.com"}}""");

        Assert.Equal("Hi ,  ada@example.com", rendered.Output);
        Assert.Equal(["profile.first_name", "event.products[0].name"], rendered.Missing);
    }

    [Fact]
    public async Task A_variable_with_a_default_is_not_reported_missing()
    {
        var rendered = await RenderAsync("Hi {{ profile.first_name | default: 'there' | capitalize }}", "{}");

        Assert.Equal("Hi There", rendered.Output);
        Assert.Empty(rendered.Missing);
    }

    [Theory]
    [InlineData("en-US", "EUR", "€49.90")]
    [InlineData("de-DE", "EUR", "49,90\u00A0€")]
    [InlineData("en-US", "USD", "$49.90")]
    [InlineData("fr-FR", "EUR", "1\u00A0249,90\u00A0€")]
    [InlineData("nl-NL", "EUR", "€\u00A049,90")]
    [InlineData("ja", "JPY", "¥50")]
    public async Task Money_is_written_in_the_readers_currency_and_locale(string locale, string currency, string expected)
    {
        var amount = locale == "fr-FR" ? 1249.9m : 49.9m;
        var settings = new RenderSettings(TemplateLocales.Find(locale), currency, LocalDates.Zone(null));

        var rendered = await RenderAsync("{{ total | money }}", $$"""{"total":{{amount}}}""", settings);

        Assert.Equal(expected, rendered.Output);
    }

    [Fact]
    public async Task Money_can_name_its_currency_and_drop_trailing_zeros()
    {
        var rendered = await RenderAsync("{{ 20 | money: 'USD' }} {{ 20 | money_without_trailing_zeros }} {{ 5.5 | money_with_currency }}", "{}");

        Assert.Equal("$20.00 €20 €5.50 EUR", rendered.Output);
    }

    [Fact]
    public async Task Local_date_is_written_in_the_readers_time_zone_and_language()
    {
        var german = new RenderSettings(TemplateLocales.Find("de-DE"), "EUR", LocalDates.Zone("Europe/Berlin"));
        var american = new RenderSettings(TemplateLocales.Find("en-US"), "USD", LocalDates.Zone("America/Los_Angeles"));
        const string Template = """{{ at | local_date: "long" }}, {{ at | local_date: "time" }}""";
        const string Data = """{"at":"2026-12-31T23:30:00Z"}""";

        Assert.Equal("1. Januar 2027, 00:30", (await RenderAsync(Template, Data, german)).Output);
        Assert.Equal("December 31, 2026, 3:30 PM", (await RenderAsync(Template, Data, american)).Output);
    }

    [Fact]
    public async Task Pluralize_picks_the_word_for_the_count()
    {
        var rendered = await RenderAsync("{{ 1 }} {{ 1 | pluralize: 'item', 'items' }}, {{ 3 }} {{ 3 | pluralize: 'item', 'items' }}", "{}");

        Assert.Equal("1 item, 3 items", rendered.Output);
    }

    [Fact]
    public void A_syntax_error_is_reported_with_its_part_line_and_column()
    {
        var errors = _engine.Check(TemplateKind.Email, new TemplateParts(Subject: "Hi", Html: "<p>\n  {% iff x %}\n</p>"), null);

        var error = Assert.Single(errors);
        Assert.Equal(("html", 2), (error.Part, error.Line));
        Assert.NotNull(error.Column);
        Assert.Contains("iff", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_filters_and_wrong_arguments_are_errors_when_saving()
    {
        var errors = _engine.Check(TemplateKind.Email, new TemplateParts(Subject: "{{ name | shout }}", Html: "<p>\n{{ name | upcase: 2 }}</p>"), null);

        Assert.Equal(
            [("subject", 1, 9, "Unknown filter 'shout'"), ("html", 2, 9, "the filter 'upcase' takes no arguments (it was given 1)")],
            errors.Select(e => (e.Part, e.Line ?? 0, e.Column ?? 0, e.Message)));
    }

    [Fact]
    public void Required_parts_and_named_partials_are_checked()
    {
        var partials = new Dictionary<string, TemplateKind> { ["footer"] = TemplateKind.Partial, ["default"] = TemplateKind.Layout };

        var errors = _engine.Check(TemplateKind.Email, new TemplateParts(Html: "{% layout 'default' %}{% render 'header' %}{% render 'footer' %}"), partials);

        Assert.Equal(["subject: an email template needs a subject", "html: no partial named 'header' in this workspace"],
            errors.Select(e => $"{e.Part}: {e.Message}"));
    }

    [Fact]
    public async Task An_endless_loop_is_stopped_by_the_step_limit()
    {
        var engine = new TemplateEngine(new TemplateLimits { MaxSteps = 1_000 });
        var compiled = engine.Compile(null, TemplateKind.Sms, new TemplateParts(Body: "{% for i in (1..100) %}{% for j in (1..100) %}x{% endfor %}{% endfor %}"), PartialLibrary.Empty);

        var failure = await Assert.ThrowsAsync<TemplateRenderException>(
            async () => await engine.RenderAsync(compiled, "body", new TemplateVariables(), RenderSettings.Default, Now));

        Assert.Contains("1,000 steps", failure.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{% for i in (1..2000000000) %}{% endfor %}", "at most 10000 items")]
    [InlineData("{% assign s = 'xxxxxxxxxx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}", "more than 1,000,000 characters")]
    [InlineData("{% for i in (1..5000) %}{{ 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' | append: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' }}{% endfor %}", "longer than 1,000,000 characters")]
    public async Task Templates_cannot_take_the_senders_memory(string template, string reason)
    {
        var compiled = _engine.Compile(null, TemplateKind.Sms, new TemplateParts(Body: template), PartialLibrary.Empty);

        var failure = await Assert.ThrowsAsync<TemplateRenderException>(
            async () => await _engine.RenderAsync(compiled, "body", new TemplateVariables(), RenderSettings.Default, Now));

        Assert.Contains(reason, failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_layout_frames_the_html_and_partials_come_from_the_library()
    {
        var library = new PartialLibrary([
            new PartialSource("default", TemplateKind.Layout, "<header>{% render 'logo' %}</header>{{ content_for_layout }}<footer>{{ profile.email }}</footer>"),
            new PartialSource("logo", TemplateKind.Partial, "<img alt=\"Shop\">"),
        ]);
        var compiled = _engine.Compile("tpl_1@1", TemplateKind.Email, new TemplateParts(Subject: "s", Html: "{% layout 'default' %}<p>Hi & bye {{ profile.name }}</p>"), library);

        var rendered = await _engine.RenderAsync(compiled, "html", Variables("""{"profile":{"email":"a@b.c","name":"<Ada>"}}"""), RenderSettings.Default, Now);

        Assert.Equal("<header><img alt=\"Shop\"></header><p>Hi & bye &lt;Ada&gt;</p><footer>a@b.c</footer>", rendered.Output);
    }

    [Fact]
    public void A_template_version_is_compiled_once()
    {
        var parts = new TemplateParts(Body: "Hi {{ profile.first_name }}");

        var first = _engine.Compile("tpl_1@3", TemplateKind.Sms, parts, new PartialLibrary([]));
        var second = _engine.Compile("tpl_1@3", TemplateKind.Sms, parts, new PartialLibrary([]));
        var changedPartials = _engine.Compile("tpl_1@3", TemplateKind.Sms, parts, new PartialLibrary([new PartialSource("x", TemplateKind.Partial, "x")]));

        Assert.Same(first, second);
        Assert.NotSame(first, changedPartials);
    }

    private Task<RenderedPart> RenderAsync(string template, string data, RenderSettings? settings = null) =>
        _engine.RenderSourceAsync(template, Variables(data), PartialLibrary.Empty,
            settings ?? new RenderSettings(TemplateLocales.EnglishUs, "EUR", LocalDates.Zone(null)), Now).AsTask();

    private static TemplateVariables Variables(string json)
    {
        using var document = JsonDocument.Parse(json);
        return TemplateVariables.FromJson(document.RootElement);
    }
}
