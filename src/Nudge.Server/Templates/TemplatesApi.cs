using System.Net.Mail;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Nudge.Channels.Templates;
using Nudge.Channels.Templates.Email;
using Nudge.Server.Admin;
using Nudge.Storage.Outbox;
using Nudge.Storage.Profiles;
using Nudge.Storage.Templates;

namespace Nudge.Server.Templates;

/// <summary>Templates: Liquid sources checked at save, versioned, previewed with real or sample data, test-sent (ADR 0011).</summary>
public static partial class TemplatesApi
{
    // Placeholder links for previews and test sends; a real send gets signed links for its recipient.
    private static readonly JsonObject PreviewLinks = new()
    {
        ["unsubscribe_url"] = "#unsubscribe",
        ["preferences_url"] = "#preferences",
        ["view_in_browser_url"] = "#view-in-browser",
    };

    public static RouteGroupBuilder MapTemplatesApi(this RouteGroupBuilder api)
    {
        var templates = api.MapGroup("/templates").WithTags("Templates");
        templates.MapGet("/", ListAsync).WithSummary("Every template of the workspace, by name");
        templates.MapPost("/", CreateAsync).WithSummary("Create a template (version 1); Liquid errors come back with part, line and column")
            .ProducesValidationProblem();
        templates.MapPost("/validate", ValidateAsync).WithSummary("Check a template without saving it");
        templates.MapGet("/{id}", GetAsync).WithSummary("A template's current version");
        templates.MapPut("/{id}", UpdateAsync).WithSummary("Save a new version of a template").ProducesValidationProblem();
        templates.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a template (its versions stay readable)");
        templates.MapGet("/{id}/versions", VersionsAsync).WithSummary("The versions of a template, newest first");
        templates.MapGet("/{id}/versions/{version:long}", VersionAsync).WithSummary("One saved version");
        templates.MapPost("/{id}/preview", PreviewAsync)
            .WithSummary("Render a template with a real profile (profileId) or sample data; lists the variables that rendered empty");
        templates.MapPost("/{id}/test-send", TestSendAsync)
            .WithSummary("Render an email template and queue it to an address through the outbox (message key test:{guid})");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<TemplateView>>> ListAsync(HttpContext http, TemplateStore store, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<TemplateView>>((await store.ListAsync(AdminAuth.WorkspaceOf(http), ct)).Select(TemplateView.Of).ToList());

    private static async Task<Results<Created<TemplateView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpContext http, TemplateRequest request, TemplateStore store, TemplateEngine engine, WorkspaceTemplates workspaces, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        var (kind, invalid) = await CheckAsync(request, null, workspace, engine, workspaces, ct);
        if (invalid is not null)
            return invalid;
        var created = await store.CreateAsync(workspace, request.Name!.Trim(), WorkspaceTemplates.KindName(kind), WorkspaceTemplates.Serialize(request.Parts), ct);
        if (created is null)
            return NameTaken(request.Name);
        return TypedResults.Created($"/api/templates/{created.Id}", TemplateView.Of(created));
    }

    private static async Task<Results<Ok<TemplateView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        HttpContext http, string id, TemplateRequest request, TemplateStore store, TemplateEngine engine, WorkspaceTemplates workspaces, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, id, ct) is not { } existing)
            return NotFound(id);
        var (_, invalid) = await CheckAsync(request, WorkspaceTemplates.Kind(existing.Kind), workspace, engine, workspaces, ct);
        if (invalid is not null)
            return invalid;
        var (outcome, updated) = await store.UpdateAsync(workspace, id, request.Name!.Trim(), WorkspaceTemplates.Serialize(request.Parts), ct);
        return outcome switch
        {
            SaveOutcome.Saved => TypedResults.Ok(TemplateView.Of(updated!)),
            SaveOutcome.NameTaken => NameTaken(request.Name),
            _ => NotFound(id),
        };
    }

    private static async Task<Results<Ok<ValidationView>, ValidationProblem>> ValidateAsync(
        HttpContext http, TemplateRequest request, TemplateEngine engine, WorkspaceTemplates workspaces, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (ReadKind(request.Kind, null) is not { } kind)
            return KindProblem(request.Kind);
        var errors = engine.Check(kind, request.Parts, await workspaces.PartialKindsAsync(workspace, ct), workspaces.SegmentNames(workspace));
        return TypedResults.Ok(new ValidationView(errors.Count == 0, errors.Select(TemplateErrorView.Of).ToList()));
    }

    private static async Task<Results<Ok<TemplateView>, ProblemHttpResult>> GetAsync(HttpContext http, string id, TemplateStore store, CancellationToken ct) =>
        await store.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is { } found ? TypedResults.Ok(TemplateView.Of(found)) : NotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext http, string id, TemplateStore store, CancellationToken ct) =>
        await store.DeleteAsync(AdminAuth.WorkspaceOf(http), id, ct) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Results<Ok<IReadOnlyList<long>>, ProblemHttpResult>> VersionsAsync(
        HttpContext http, string id, TemplateStore store, CancellationToken ct)
    {
        var versions = await store.VersionsAsync(AdminAuth.WorkspaceOf(http), id, ct);
        return versions.Count == 0 ? NotFound(id) : TypedResults.Ok<IReadOnlyList<long>>(versions.Select(v => v.Version).ToList());
    }

    private static async Task<Results<Ok<TemplateVersionView>, ProblemHttpResult>> VersionAsync(
        HttpContext http, string id, long version, TemplateStore store, CancellationToken ct) =>
        await store.GetVersionAsync(AdminAuth.WorkspaceOf(http), id, version, ct) is { } found
            ? TypedResults.Ok(TemplateVersionView.Of(found))
            : TypedResults.Problem(detail: $"template '{id}' has no version {version}", statusCode: 404, title: "Not found",
                extensions: new Dictionary<string, object?> { ["field"] = "version" });

    private static async Task<Results<Ok<PreviewView>, ValidationProblem, ProblemHttpResult>> PreviewAsync(
        HttpContext http, string id, PreviewRequest request, PreviewContext preview, CancellationToken ct)
    {
        var prepared = await preview.PrepareAsync(http, id, request.Version, request.ProfileId, request.Data, ct);
        if (prepared.Problem is not null)
            return prepared.Problem;
        var (version, compiled, input, settings) = prepared.Ready!.Value;
        try
        {
            return TypedResults.Ok(await preview.RenderAsync(version, compiled, input, settings, ct));
        }
        catch (TemplateRenderException e)
        {
            return RenderProblem(e);
        }
    }

    private static async Task<Results<Accepted<TestSendView>, ValidationProblem, ProblemHttpResult>> TestSendAsync(
        HttpContext http, string id, TestSendRequest request, PreviewContext preview, EmailRenderer emails, OutboxStore outbox, TimeProvider time,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.To) || !MailAddress.TryCreate(request.To.Trim(), out var to) || to.Address != request.To.Trim())
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["an email address is required, e.g. \"ada@example.com\""] },
                title: "Invalid test send");
        }
        var prepared = await preview.PrepareAsync(http, id, request.Version, request.ProfileId, request.Data, ct);
        if (prepared.Problem is not null)
            return prepared.Problem;
        var (version, compiled, input, settings) = prepared.Ready!.Value;
        if (compiled.Kind != TemplateKind.Email)
        {
            return TypedResults.Problem(detail: $"only email templates can be test-sent; this one is {version.Kind}", statusCode: 400,
                title: "Not an email template", extensions: new Dictionary<string, object?> { ["field"] = "id" });
        }
        try
        {
            var now = time.GetUtcNow();
            var email = await emails.RenderAsync(compiled, input.ToVariables(), settings, now);
            var key = "test:" + Guid.NewGuid().ToString("N");
            var subject = "[Test] " + email.Subject;
            await outbox.EnqueueAsync(OutboxMessage.Email(AdminAuth.WorkspaceOf(http), request.ProfileId, key, to.Address, subject, email.Html, email.Text, now), ct);
            return TypedResults.Accepted($"/api/templates/{id}", new TestSendView(key, to.Address, subject));
        }
        catch (TemplateRenderException e)
        {
            return RenderProblem(e);
        }
    }

    /// <summary>Checks name, kind and every part; the kind of an existing template cannot change.</summary>
    private static async Task<(TemplateKind Kind, ValidationProblem? Invalid)> CheckAsync(
        TemplateRequest request, TemplateKind? existing, string workspace, TemplateEngine engine, WorkspaceTemplates workspaces, CancellationToken ct)
    {
        var fields = new Dictionary<string, string[]>();
        var kind = ReadKind(request.Kind, existing);
        if (kind is null)
            fields["kind"] = [existing is null ? KindMessage(request.Kind) : $"the kind of a template cannot change (it is {WorkspaceTemplates.KindName(existing.Value)})"];
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
            fields["name"] = ["a name of 1 to 200 characters is required"];
        else if (kind is TemplateKind.Layout or TemplateKind.Partial && !PartialName().IsMatch(name))
            fields["name"] = ["layouts and partials are named with lowercase letters, digits, '-' and '_' (templates use them by this name)"];

        var templateErrors = kind is null ? [] : engine.Check(kind.Value, request.Parts, await workspaces.PartialKindsAsync(workspace, ct), workspaces.SegmentNames(workspace));
        foreach (var group in templateErrors.GroupBy(e => e.Part))
            fields[group.Key] = group.Select(e => e.ToString()).ToArray();
        if (fields.Count == 0)
            return (kind!.Value, null);
        return (default, TypedResults.ValidationProblem(fields,
            detail: "The template was not saved. Fix the fields listed in errors; templateErrors gives the line and column of each Liquid error.",
            title: "Invalid template",
            extensions: new Dictionary<string, object?> { ["templateErrors"] = templateErrors.Select(TemplateErrorView.Of).ToList() }));
    }

    private static TemplateKind? ReadKind(string? kind, TemplateKind? existing)
    {
        if (existing is { } fixedKind)
            return kind is null || string.Equals(kind, WorkspaceTemplates.KindName(fixedKind), StringComparison.OrdinalIgnoreCase) ? fixedKind : null;
        return kind is not null && Enum.TryParse<TemplateKind>(kind, ignoreCase: true, out var parsed) && !int.TryParse(kind, out _) ? parsed : null;
    }

    private static string KindMessage(string? kind) => $"kind must be email, sms, push, layout or partial{(kind is null ? "" : $", not '{kind}'")}";

    private static ValidationProblem KindProblem(string? kind) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = [KindMessage(kind)] }, title: "Invalid template");

    internal static ValidationProblem RenderProblem(TemplateRenderException e) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.Part] = [e.Reason] },
            detail: "The template could not be rendered with this data.", title: "Render failed");

    internal static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"no template with id '{id}' in this workspace", statusCode: 404, title: "Not found",
            extensions: new Dictionary<string, object?> { ["field"] = "id" });

    private static ProblemHttpResult NameTaken(string? name) =>
        TypedResults.Problem(detail: $"the workspace already has a template named '{name}'", statusCode: 409, title: "Name taken",
            extensions: new Dictionary<string, object?> { ["field"] = "name" });

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex PartialName();

    /// <summary>What previews and test sends share: the version, its compiled form, and the data to render it with.</summary>
    internal sealed class PreviewContext(
        TemplateStore store, WorkspaceTemplates workspaces, ProfileStore profiles, TemplateEngine engine, EmailRenderer emails, TemplateLookups lookups,
        TimeProvider time, IOptions<TemplatesOptions> options)
    {
        public async Task<(ProblemHttpResult? Problem, (TemplateVersionRecord, CompiledTemplate, RenderInput, Nudge.Channels.Templates.Rendering.RenderSettings)? Ready)>
            PrepareAsync(HttpContext http, string id, long? version, string? profileId, JsonObject? data, CancellationToken ct)
        {
            var workspace = AdminAuth.WorkspaceOf(http);
            if (await store.GetAsync(workspace, id, ct) is not { } template)
                return (NotFound(id), null);
            if (await store.GetVersionAsync(workspace, id, version ?? template.Version, ct) is not { } chosen)
            {
                return (TypedResults.Problem(detail: $"template '{id}' has no version {version}", statusCode: 404, title: "Not found",
                    extensions: new Dictionary<string, object?> { ["field"] = "version" }), null);
            }

            var input = RenderInput(data);
            if (profileId is not null)
            {
                if (await profiles.LoadAsync(profileId, ct) is not { } profile || profile.WorkspaceId != workspace)
                {
                    return (TypedResults.Problem(detail: $"no profile with id '{profileId}' in this workspace", statusCode: 404, title: "Not found",
                        extensions: new Dictionary<string, object?> { ["field"] = "profileId" }), null);
                }
                input = input with { Profile = Nudge.Channels.Templates.RenderInput.ForProfile(profile).Profile };
            }
            // Feeds and segments the sample data does not give come from the catalog and, with a real profile, from the person.
            input = input with { Lookups = lookups.For(workspace, profileId, input.Event, ct) };
            var compiled = await workspaces.CompileAsync(workspace, chosen, ct);
            var settings = input.Settings(options.Value.DefaultCurrency, options.Value.DefaultLocale);
            return (null, (chosen, compiled, input, settings));
        }

        public async Task<PreviewView> RenderAsync(
            TemplateVersionRecord version, CompiledTemplate compiled, RenderInput input, Nudge.Channels.Templates.Rendering.RenderSettings settings, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            var now = time.GetUtcNow();
            var variables = input.ToVariables();
            if (compiled.Kind == TemplateKind.Email)
            {
                var email = await emails.RenderAsync(compiled, variables, settings, now);
                return new PreviewView(version.TemplateId, version.Version, email.Subject, email.Preheader, email.Html, email.Text, null, email.Missing);
            }

            var missing = new List<MissingVariable>();
            async Task<string?> PartAsync(string part)
            {
                if (!compiled.Has(part))
                    return null;
                var rendered = await engine.RenderAsync(compiled, part, variables, settings, now);
                missing.AddRange(rendered.Missing.Select(p => new MissingVariable(part, p)));
                return rendered.Output;
            }
            var subject = await PartAsync("subject");
            var body = await PartAsync("body");
            return new PreviewView(version.TemplateId, version.Version, subject, null, null, null, body, missing);
        }

        private static RenderInput RenderInput(JsonObject? data)
        {
            data ??= [];
            return new RenderInput
            {
                Profile = data["profile"] as JsonObject is { } profile ? (JsonObject)profile.DeepClone() : [],
                Event = (data["event"] as JsonObject)?.DeepClone() as JsonObject,
                Coupon = (data["coupon"] as JsonObject)?.DeepClone() as JsonObject,
                Recommendations = data["recommendations"] as JsonArray is { } list ? (JsonArray)list.DeepClone() : [],
                Products = (data["products"] as JsonObject)?.DeepClone() as JsonObject,
                Segments = data["segments"] as JsonArray is { } segments ? [.. segments.OfType<JsonValue>().Select(s => s.ToString())] : null,
                Links = data["links"] as JsonObject is { } links
                    ? new TemplateLinks((string?)links["unsubscribe_url"], (string?)links["preferences_url"], (string?)links["view_in_browser_url"])
                    : new TemplateLinks((string?)PreviewLinks["unsubscribe_url"], (string?)PreviewLinks["preferences_url"], (string?)PreviewLinks["view_in_browser_url"]),
                Locale = (string?)data["locale"],
                Currency = (string?)data["currency"],
                TimeZone = (string?)data["time_zone"],
            };
        }
    }
}
